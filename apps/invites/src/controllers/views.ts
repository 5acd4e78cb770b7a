import { InviteView, PortalAccountView } from '@cp/contracts';
import { Invite } from '../repositories/invite.schema';
import { PortalAccount } from '../repositories/portal-account.schema';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** No token hash, no outbox: what staff may see of an invite. */
export const toInviteView = (i: Invite): InviteView => ({
  id: i._id,
  contactId: i.contactId,
  clientId: i.clientId,
  email: i.email,
  status: i.status,
  message: i.message,
  templateId: i.templateId,
  sentBy: i.sentBy,
  sendCount: i.sendCount,
  lastSentAt: new Date(i.lastSentAt).toISOString(),
  expiresAt: new Date(i.expiresAt).toISOString(),
  acceptedAt: iso(i.acceptedAt),
  revokedAt: iso(i.revokedAt),
  lastEmail: i.lastEmail
    ? { status: i.lastEmail.status, at: new Date(i.lastEmail.at).toISOString(), reason: i.lastEmail.reason }
    : null,
  createdAt: new Date(i.createdAt).toISOString(),
  updatedAt: new Date(i.updatedAt).toISOString(),
});

export const toPortalAccountView = (a: PortalAccount): PortalAccountView => ({
  id: a._id,
  firmId: a.firmId,
  firmSlug: a.firmSlug,
  contactId: a.contactId,
  email: a.email,
  createdAt: new Date(a.createdAt).toISOString(),
  lastLoginAt: iso(a.lastLoginAt),
  twoStepEnabled: a.twoStepEnabled ?? false,
});
