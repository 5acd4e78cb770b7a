import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ClientKind } from '@cp/contracts';
import { randomUUID } from 'node:crypto';

/** A household or business the firm serves. */
@Schema({ collection: 'clients', timestamps: true, versionKey: false })
export class Client {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) name!: string;
  /** Lower-cased name for case-insensitive search. */
  @Prop({ required: true }) nameLower!: string;
  @Prop({ type: String, required: true }) kind!: ClientKind;
  createdAt!: Date;
  updatedAt!: Date;
}

export const ClientSchema = SchemaFactory.createForClass(Client);
ClientSchema.index({ firmId: 1, createdAt: 1, _id: 1 });
