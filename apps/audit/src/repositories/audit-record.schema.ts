import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { AuditAction, AuditActorKind } from '@cp/contracts';

export interface AuditObjects {
  clientId?: string;
  contactIds?: string[];
  fileId?: string;
  inviteId?: string;
  requestId?: string;
  templateId?: string;
  userId?: string;
}

/**
 * One security-relevant fact of a firm, made from one event: its id is the event's id, so a
 * redelivered event finds its record and adds nothing. Never changed once written.
 */
@Schema({ collection: 'audit_records', timestamps: true, versionKey: false })
export class AuditRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ type: String, required: true }) action!: AuditAction;
  /** When it happened (the event's occurredAt): the order of the trail and the retention clock. */
  @Prop({ type: Date, required: true }) at!: Date;
  @Prop({ type: String, default: null }) actorId!: string | null;
  @Prop({ type: String, required: true }) actorKind!: AuditActorKind;
  @Prop({ type: String, default: null }) ip!: string | null;
  @Prop({ type: String, default: null }) userAgent!: string | null;
  @Prop({ type: Object, default: {} }) objects!: AuditObjects;
  /** Every contact the record is about (actor or object), for the contact filter. */
  @Prop({ type: [String], default: [] }) contactIds!: string[];
  @Prop({ type: Object, default: {} }) details!: Record<string, unknown>;
  @Prop({ required: true }) correlationId!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

export const AuditRecordSchema = SchemaFactory.createForClass(AuditRecord);
AuditRecordSchema.index({ firmId: 1, at: -1, _id: -1 });
AuditRecordSchema.index({ firmId: 1, actorId: 1, at: -1, _id: -1 });
AuditRecordSchema.index({ firmId: 1, contactIds: 1, at: -1, _id: -1 });
AuditRecordSchema.index({ firmId: 1, 'objects.clientId': 1, at: -1, _id: -1 });
AuditRecordSchema.index({ firmId: 1, 'objects.fileId': 1, at: -1, _id: -1 });

/** Names of the people the records mention, learnt from the events (staff added, contacts added). */
@Schema({ collection: 'audit_people', timestamps: true, versionKey: false })
export class AuditPerson {
  /** `<firmId>:<staff user id or contact id>`. */
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ type: String, default: null }) name!: string | null;
  @Prop({ type: String, default: null }) email!: string | null;
}

export const AuditPersonSchema = SchemaFactory.createForClass(AuditPerson);
