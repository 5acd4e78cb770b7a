import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { outboxPlugin, WithOutbox } from '@cp/messaging';

export type DeliveryStatus = 'queued' | 'sent' | 'failed';
export type DeliveryKind = 'invite' | 'reminder' | 'accepted-notice' | 'upload-notice' | 'two-step-code';

/**
 * One email to send, stored before any attempt. Its id is the idempotency key
 * (`invite:<inviteId>:<sendNumber>`): a redelivered or replayed event finds it and sends nothing.
 */
@Schema({ collection: 'deliveries', timestamps: true, versionKey: false })
export class Delivery implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ type: String, required: true }) kind!: DeliveryKind;
  @Prop({ type: String, default: null }) inviteId!: string | null;
  @Prop({ type: String, default: null }) contactId!: string | null;
  /** Empty while a staff notice is held, waiting to learn the inviter's address. */
  @Prop({ type: String, default: '' }) to!: string;
  @Prop({ type: String, required: true }) status!: DeliveryStatus;
  @Prop({ required: true, default: 0 }) attempts!: number;
  @Prop({ type: String, default: null }) lastError!: string | null;
  @Prop({ required: true }) nextAttemptAt!: Date;
  @Prop({ type: Date, default: null }) sentAt!: Date | null;
  /**
   * Set when an attempt starts, cleared when its outcome is recorded. Still set at the next claim
   * means the process died mid-attempt: the SMTP server may or may not have taken the email.
   */
  @Prop({ type: Date, default: null }) sendingSince!: Date | null;
  /** Which worker's claim the current attempt is (a fresh id per claimed batch). */
  @Prop({ type: String, default: null }) claim!: string | null;
  /** Attempts whose outcome was lost to a crash; each was retried with the same Message-ID. */
  @Prop({ default: 0 }) interruptedAttempts!: number;
  /** What to render: the event payload; its link stays sealed at rest. */
  @Prop({ type: Object, required: true }) payload!: Record<string, unknown>;
  @Prop({ type: String, default: null }) correlationId!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const DeliverySchema = SchemaFactory.createForClass(Delivery);
DeliverySchema.plugin(outboxPlugin);
DeliverySchema.index({ status: 1, nextAttemptAt: 1 });
DeliverySchema.index({ firmId: 1, createdAt: 1, _id: 1 });
// The delivery log of one contact or invite, in page order; held notices of a contact.
DeliverySchema.index({ firmId: 1, contactId: 1, createdAt: 1, _id: 1 });
DeliverySchema.index({ firmId: 1, inviteId: 1, createdAt: 1, _id: 1 });
DeliverySchema.index({ contactId: 1, status: 1, to: 1 });
