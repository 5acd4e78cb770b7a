import { AuditAction, AuditActorKind, EventEnvelope, Topic } from '@cp/contracts';
import type { AuditObjects } from '../repositories/audit-record.schema';
import type { NewAuditRecord } from '../repositories/audit-record.repository';

/** What an event says for the trail; the actor falls back to the envelope's (who made the request). */
interface Entry {
  action: AuditAction;
  actor?: { id: string | null; kind: AuditActorKind };
  /** Where it came from, when the event itself says (the account events carry it in data). */
  from?: { ip: string | null; userAgent: string | null };
  objects: AuditObjects;
  details?: Record<string, unknown>;
}

type Describe<T extends Topic> = (event: EventEnvelope<T>) => Entry;

const staff = (id: string) => ({ id, kind: 'staff' as const });
const contact = (id: string) => ({ id, kind: 'contact' as const });
const account = (id: string | null, kind: 'staff' | 'contact') =>
  id === null ? { id: null, kind: 'anonymous' as const } : { id, kind };
/** An account event is about a contact (its account) or a staff user. */
const about = (id: string | null, kind: 'staff' | 'contact'): AuditObjects =>
  id === null ? {} : kind === 'contact' ? { contactIds: [id] } : { userId: id };

/**
 * For each topic the trail records, how one event reads as one record. Topics not listed here
 * (emails sent, contacts added, the portal login that SignInSucceeded also reports) make none.
 */
export const AUDITED: { [T in Topic]?: Describe<T> } = {
  [Topic.SignInSucceeded]: ({ data }) => ({
    action: 'sign-in.succeeded',
    actor: account(data.accountId, data.accountKind),
    from: { ip: data.ip, userAgent: data.userAgent },
    objects: about(data.accountId, data.accountKind),
    details: { secondStep: data.secondStep },
  }),
  [Topic.SignInFailed]: ({ data }) => ({
    action: 'sign-in.failed',
    actor: account(data.accountId, data.accountKind),
    from: { ip: data.ip, userAgent: data.userAgent },
    objects: about(data.accountId, data.accountKind),
    details: { stage: data.stage, reason: data.reason, accountKind: data.accountKind },
  }),
  [Topic.PasswordChanged]: ({ data }) => ({
    action: data.via === 'reset' ? 'password.reset' : 'password.changed',
    actor: account(data.accountId, data.accountKind),
    from: { ip: data.ip, userAgent: data.userAgent },
    objects: about(data.accountId, data.accountKind),
  }),
  [Topic.TwoStepChanged]: ({ data }) => ({
    action: `two-step.${data.change}`,
    actor: data.by === data.accountId ? account(data.accountId, data.accountKind) : staff(data.by),
    from: { ip: data.ip, userAgent: data.userAgent },
    objects: about(data.accountId, data.accountKind),
  }),
  [Topic.InviteSent]: ({ data }) => ({
    action: data.resend ? 'invite.resent' : 'invite.sent',
    actor: staff(data.sentBy),
    objects: { inviteId: data.inviteId, contactIds: [data.contactId], clientId: data.clientId },
    details: { email: data.email, expiresAt: data.expiresAt },
  }),
  [Topic.InviteAccepted]: ({ data }) => ({
    action: 'invite.accepted',
    actor: contact(data.contactId),
    objects: { inviteId: data.inviteId, contactIds: [data.contactId], clientId: data.clientId },
  }),
  [Topic.InviteRevoked]: ({ data }) => ({
    action: 'invite.revoked',
    objects: { inviteId: data.inviteId, contactIds: [data.contactId] },
  }),
  [Topic.InviteExpired]: ({ data }) => ({
    action: 'invite.expired',
    actor: { id: null, kind: 'system' },
    objects: { inviteId: data.inviteId, contactIds: [data.contactId] },
  }),
  [Topic.NewLinkRequested]: ({ data }) => ({
    action: 'invite.new-link-requested',
    actor: contact(data.contactId),
    objects: { inviteId: data.inviteId, contactIds: [data.contactId] },
    details: { inviteState: data.inviteState },
  }),
  [Topic.FileUploaded]: ({ data }) => ({
    action: 'file.uploaded',
    actor: data.uploaderKind === 'contact' ? contact(data.uploadedBy) : staff(data.uploadedBy),
    objects: {
      fileId: data.fileId,
      clientId: data.clientId,
      ...(data.uploaderKind === 'contact' ? { contactIds: [data.uploadedBy] } : {}),
      ...(data.requestId ? { requestId: data.requestId } : {}),
    },
    details: { name: data.name, size: data.size },
  }),
  [Topic.FileShared]: ({ data }) => {
    // Events from before `added`/`removed` existed carry the whole list only: read as a share.
    const added = data.added ?? data.contactIds;
    const removed = data.removed ?? [];
    return {
      action: added.length === 0 && removed.length > 0 ? 'file.unshared' : 'file.shared',
      objects: { fileId: data.fileId, clientId: data.clientId, contactIds: [...new Set([...added, ...removed])] },
      details: { name: data.name, added, removed, sharedWith: data.contactIds },
    };
  },
  [Topic.FileDownloaded]: ({ data }) => ({
    action: 'file.downloaded',
    actor: data.byKind === 'contact' ? contact(data.by) : staff(data.by),
    objects: {
      fileId: data.fileId,
      clientId: data.clientId,
      ...(data.byKind === 'contact' ? { contactIds: [data.by] } : {}),
    },
  }),
  [Topic.FileDeleted]: ({ data }) => ({
    action: 'file.deleted',
    objects: { fileId: data.fileId, clientId: data.clientId },
    details: { name: data.name },
  }),
  [Topic.DocumentRequestCreated]: ({ data }) => ({
    action: 'request.created',
    objects: { requestId: data.requestId, clientId: data.clientId, contactIds: data.contactIds },
    details: { title: data.title },
  }),
  [Topic.DocumentRequestFulfilled]: ({ data }) => ({
    action: 'request.fulfilled',
    actor: contact(data.fulfilledBy),
    objects: {
      requestId: data.requestId,
      clientId: data.clientId,
      fileId: data.fileId,
      contactIds: [data.fulfilledBy],
    },
  }),
  [Topic.SettingsChanged]: ({ data }) => ({
    action: 'settings.changed',
    objects: {},
    details: { section: data.section, values: data.values },
  }),
  [Topic.EmailTemplateChanged]: ({ data }) => ({
    action: `email-template.${data.change}`,
    objects: { templateId: data.templateId },
    details: { name: data.name },
  }),
  [Topic.StaffAdded]: ({ data }) => ({
    action: 'staff.added',
    objects: { userId: data.userId },
    details: { name: data.name, email: data.email, role: data.role },
  }),
  [Topic.StaffRemoved]: ({ data }) => ({
    action: 'staff.removed',
    objects: { userId: data.userId },
    details: { email: data.email },
  }),
};

/** The one record an event makes, or null for an event the trail does not keep. */
export function toAuditRecord<T extends Topic>(topic: T, event: EventEnvelope<T>): NewAuditRecord | null {
  const describe = AUDITED[topic];
  if (!describe) return null;
  const entry = describe(event);
  const actor = entry.actor ?? (event.actor ? { id: event.actor.id, kind: event.actor.kind } : null);
  const from = entry.from ?? { ip: event.actor?.ip ?? null, userAgent: event.actor?.userAgent ?? null };
  const contactIds = new Set(entry.objects.contactIds ?? []);
  if (actor?.kind === 'contact' && actor.id) contactIds.add(actor.id);
  const at = new Date(event.occurredAt);
  return {
    _id: event.id,
    firmId: event.firmId,
    action: entry.action,
    at: Number.isNaN(at.getTime()) ? new Date() : at,
    actorId: actor?.id ?? null,
    actorKind: actor?.kind ?? 'system',
    // The request's address when the event says none (an account event from a request it made).
    ip: from.ip ?? event.actor?.ip ?? null,
    userAgent: from.userAgent ?? event.actor?.userAgent ?? null,
    objects: entry.objects,
    contactIds: [...contactIds],
    details: entry.details ?? {},
    correlationId: event.correlationId,
  };
}
