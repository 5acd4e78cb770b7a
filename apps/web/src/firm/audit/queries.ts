import { data, type Schemas } from '../../api/client';
import { api } from '../session';

export type AuditRecord = Schemas['AuditRecordView'];
export type AuditAction = AuditRecord['action'];

/** The filters as the API takes them; empty ones are left out. */
export interface AuditFilters {
  action?: AuditAction;
  actor?: string;
  contactId?: string;
  clientId?: string;
  fileId?: string;
  /** yyyy-mm-dd in the viewer's own time zone; sent as the start of that day. */
  from?: string;
  /** yyyy-mm-dd, inclusive: sent as the start of the next day. */
  to?: string;
}

export const auditKeys = {
  list: (filters: AuditFilters) => ['audit', filters] as const,
};

const startOfDay = (day: string, plusDays = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
};

export function auditQuery(filters: AuditFilters) {
  const clean = (v?: string) => (v && v.trim() ? v.trim() : undefined);
  return {
    action: filters.action,
    actor: clean(filters.actor),
    contactId: clean(filters.contactId),
    clientId: clean(filters.clientId),
    fileId: clean(filters.fileId),
    from: filters.from ? startOfDay(filters.from) : undefined,
    to: filters.to ? startOfDay(filters.to, 1) : undefined,
  };
}

export const fetchAuditPage = async (filters: AuditFilters, cursor: string | undefined) =>
  data(await api.GET('/v1/audit', { params: { query: { ...auditQuery(filters), cursor, limit: 50 } } }));

/** The export URL for the same filters (downloaded with the session's token). */
export function exportUrl(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(auditQuery(filters))) if (value) params.set(name, value);
  const query = params.toString();
  return `/v1/audit/export${query ? `?${query}` : ''}`;
}

/** What each action reads as on the page. */
export const ACTION_LABELS: Record<AuditAction, string> = {
  'sign-in.succeeded': 'Signed in',
  'sign-in.failed': 'Sign-in failed',
  'password.reset': 'Password reset',
  'password.changed': 'Password changed',
  'two-step.enrolled': 'Two-step sign-in set up',
  'two-step.reset': 'Two-step sign-in reset',
  'two-step.recovery-codes-renewed': 'Recovery codes renewed',
  'invite.sent': 'Invite sent',
  'invite.resent': 'Invite resent',
  'invite.revoked': 'Invite revoked',
  'invite.accepted': 'Invite accepted',
  'invite.expired': 'Invite expired',
  'invite.new-link-requested': 'New link requested',
  'file.uploaded': 'File uploaded',
  'file.shared': 'File shared',
  'file.unshared': 'File unshared',
  'file.downloaded': 'File downloaded',
  'file.deleted': 'File deleted',
  'request.created': 'Request created',
  'request.fulfilled': 'Request fulfilled',
  'settings.changed': 'Settings changed',
  'email-template.created': 'Email template created',
  'email-template.updated': 'Email template updated',
  'email-template.deleted': 'Email template deleted',
  'staff.added': 'Staff member added',
  'staff.removed': 'Staff member removed',
};
