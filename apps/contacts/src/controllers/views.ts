import { ClientView, ContactView, FirmView, ImportRowResult, ImportView, StaffUserView } from '@cp/contracts';
import { ContactImport, NO_COUNTS } from '../repositories/contact-import.schema';
import { Client } from '../repositories/client.schema';
import { Contact } from '../repositories/contact.schema';
import { Firm } from '../repositories/firm.schema';
import { StaffUser } from '../repositories/staff-user.schema';
import { newLinkRequestShown } from '../use-cases/portal-status';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const stamps = (r: { createdAt: Date; updatedAt: Date }) => ({
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});

/** API shapes: no internal fields (hashes, outbox, bookkeeping), timestamps as ISO strings. */
export const toFirmView = (f: Firm): FirmView => ({
  id: f._id,
  name: f.name,
  slug: f.slug,
  logoUrl: f.logoUrl ?? null,
  brandColor: f.brandColor ?? null,
  ...stamps(f),
});

export const toStaffUserView = (u: StaffUser): StaffUserView => ({
  id: u._id,
  firmId: u.firmId,
  name: u.name,
  email: u.email,
  role: u.role,
  ...stamps(u),
});

export const toClientView = (c: Client): ClientView => ({ id: c._id, name: c.name, kind: c.kind, ...stamps(c) });

export const toContactView = (c: Contact): ContactView => ({
  id: c._id,
  clientIds: c.clientIds,
  firstName: c.firstName,
  lastName: c.lastName,
  email: c.email,
  phone: c.phone,
  portal: {
    state: c.portal?.state ?? 'not_invited',
    invitedAt: iso(c.portal?.invitedAt),
    acceptedAt: iso(c.portal?.acceptedAt),
    lastLoginAt: iso(c.portal?.lastLoginAt),
    newLinkRequestedAt: iso(newLinkRequestShown(c.portal)),
  },
  inviteEmail: c.inviteEmail
    ? { status: c.inviteEmail.status, at: new Date(c.inviteEmail.at).toISOString(), reason: c.inviteEmail.reason }
    : null,
  ...stamps(c),
});

export const toImportView = (job: ContactImport, rows: ImportRowResult[], nextCursor: string | null): ImportView => ({
  id: job._id,
  status: job.status,
  fileName: job.fileName,
  invite: job.invite,
  total: job.total,
  processed: job.next,
  counts: { ...NO_COUNTS, ...job.counts },
  error: job.error ?? null,
  createdAt: new Date(job.createdAt).toISOString(),
  updatedAt: new Date(job.updatedAt).toISOString(),
  finishedAt: iso(job.finishedAt),
  rows,
  nextCursor,
});
