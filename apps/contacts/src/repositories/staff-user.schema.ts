import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { StaffRole } from '@cp/contracts';
import { outboxPlugin, WithOutbox } from '@cp/messaging';
import { randomUUID } from 'node:crypto';

@Schema({ collection: 'staff_users', timestamps: true, versionKey: false })
export class StaffUser implements WithOutbox {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true, index: true }) firmId!: string;
  @Prop({ required: true }) name!: string;
  /** Staff sign in with email alone, so an email is unique across firms. */
  @Prop({ required: true, unique: true }) email!: string;
  @Prop({ required: true }) passwordHash!: string;
  @Prop({ type: String, required: true }) role!: StaffRole;
  createdAt!: Date;
  updatedAt!: Date;
  /** Events ride here, in the same write as the change they announce (StaffAdded, PasswordChanged). */
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const StaffUserSchema = SchemaFactory.createForClass(StaffUser);
StaffUserSchema.plugin(outboxPlugin);
