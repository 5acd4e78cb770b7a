import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { outboxPlugin, WithOutbox } from '@cp/messaging';
import { randomUUID } from 'node:crypto';

/** A contact's portal login. Created only by accepting an invite; one per contact per firm. */
@Schema({ collection: 'portal_accounts', timestamps: true, versionKey: false })
export class PortalAccount implements WithOutbox {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) firmSlug!: string;
  @Prop({ required: true }) contactId!: string;
  @Prop({ required: true }) email!: string;
  @Prop({ required: true }) passwordHash!: string;
  @Prop({ type: Date, default: null }) lastLoginAt!: Date | null;
  /** The contact asked for a code by email at each sign-in (counts when the firm's policy is `optional`). */
  @Prop({ default: false }) twoStepEnabled!: boolean;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const PortalAccountSchema = SchemaFactory.createForClass(PortalAccount);
PortalAccountSchema.plugin(outboxPlugin);
PortalAccountSchema.index({ firmId: 1, contactId: 1 }, { unique: true });
PortalAccountSchema.index({ firmSlug: 1, email: 1 }, { unique: true });
