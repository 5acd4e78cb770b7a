import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { FirmBranding, InviteStatus } from '@cp/contracts';
import { outboxPlugin, WithOutbox } from '@cp/messaging';
import { randomUUID } from 'node:crypto';

/** An invitation of one contact to the portal. Its link token is stored only as a hash. */
@Schema({ collection: 'invites', timestamps: true, versionKey: false })
export class Invite implements WithOutbox {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) firmName!: string;
  @Prop({ required: true }) firmSlug!: string;
  /** The firm's look when the invite was (last) sent; null fields: the portal's own look. */
  @Prop({ type: Object, default: null }) firmBranding!: FirmBranding | null;
  @Prop({ required: true }) contactId!: string;
  @Prop({ required: true }) clientId!: string;
  @Prop({ required: true }) email!: string;
  @Prop({ required: true }) contactFirstName!: string;
  @Prop({ required: true }) contactLastName!: string;
  @Prop({ type: String, required: true }) status!: InviteStatus;
  /** sha256 of the secret part of the current link; a resend replaces it. */
  @Prop({ required: true }) tokenHash!: string;
  @Prop({ type: String, default: null }) message!: string | null;
  @Prop({ type: String, default: null }) templateId!: string | null;
  @Prop({ required: true }) sentBy!: string;
  @Prop({ required: true }) sentByName!: string;
  /** Where staff notices about this contact go; null for invites sent before they existed. */
  @Prop({ type: String, default: null }) sentByEmail!: string | null;
  @Prop({ required: true }) sendCount!: number;
  @Prop({ required: true }) lastSentAt!: Date;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) acceptedAt!: Date | null;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
  /** The last time the contact asked for a new link from this (expired or revoked) invite. */
  @Prop({ type: Date, default: null }) newLinkRequestedAt!: Date | null;
  @Prop({ type: Object, default: null }) lastEmail!: {
    status: 'sent' | 'failed';
    at: Date;
    reason: string | null;
  } | null;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const InviteSchema = SchemaFactory.createForClass(Invite);
InviteSchema.plugin(outboxPlugin);
InviteSchema.index({ firmId: 1, contactId: 1, status: 1 });
InviteSchema.index({ firmId: 1, createdAt: 1, _id: 1 });
// The invite list filtered by client or by status, in page order.
InviteSchema.index({ firmId: 1, clientId: 1, createdAt: 1, _id: 1 });
InviteSchema.index({ firmId: 1, status: 1, createdAt: 1, _id: 1 });
InviteSchema.index({ status: 1, expiresAt: 1 });
