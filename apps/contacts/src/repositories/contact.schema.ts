import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { outboxPlugin, WithOutbox } from '@cp/messaging';
import { PortalState } from '@cp/contracts';
import { randomUUID } from 'node:crypto';

@Schema({ _id: false })
export class PortalProjection {
  @Prop({ type: String, default: 'not_invited' }) state!: PortalState;
  @Prop({ type: Date, default: null }) invitedAt!: Date | null;
  @Prop({ type: Date, default: null }) acceptedAt!: Date | null;
  @Prop({ type: Date, default: null }) lastLoginAt!: Date | null;
  /** When the contact last asked for a new link (NewLinkRequested); shown until a newer send. */
  @Prop({ type: Date, default: null }) newLinkRequestedAt!: Date | null;
  /** When the event that set `state` happened; older invite events cannot override it. */
  @Prop({ type: Date, default: null }) stateAt!: Date | null;
  /** Which invite the state is about. */
  @Prop({ type: String, default: null }) inviteId!: string | null;
  /** Optimistic-concurrency counter for the projection's read-modify-write. */
  @Prop({ type: Number, default: 0 }) rev!: number;
}

@Schema({ collection: 'contacts', timestamps: true, versionKey: false })
export class Contact implements WithOutbox {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true, index: true }) firmId!: string;
  @Prop({ type: [String], default: [] }) clientIds!: string[];
  @Prop({ required: true }) firstName!: string;
  @Prop({ required: true }) lastName!: string;
  /** Lower-cased; unique within a firm when present. */
  @Prop({ type: String, default: null }) email!: string | null;
  /** The email, or a per-contact placeholder: a plain unique index then works on every backend
   *  (the local MongoDB-wire server ignores partialFilterExpression), and two contacts without
   *  email don't collide. */
  @Prop({ required: true }) emailKey!: string;
  @Prop({ type: String, default: null }) phone!: string | null;
  @Prop({ type: PortalProjection, default: () => ({}) }) portal!: PortalProjection;
  /** The latest invite email's outcome, from NotificationSent / NotificationFailed. */
  @Prop({ type: Object, default: null }) inviteEmail!: {
    status: 'sent' | 'failed';
    at: Date;
    reason: string | null;
  } | null;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const ContactSchema = SchemaFactory.createForClass(Contact);
ContactSchema.plugin(outboxPlugin);
ContactSchema.index({ firmId: 1, emailKey: 1 }, { unique: true });
ContactSchema.index({ firmId: 1, clientIds: 1, createdAt: 1, _id: 1 });
