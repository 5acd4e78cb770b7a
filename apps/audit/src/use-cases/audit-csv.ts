import type { AuditRecordView } from '@cp/contracts';

export const CSV_HEADER = [
  'time',
  'action',
  'actor_kind',
  'actor_id',
  'actor_name',
  'actor_email',
  'ip',
  'user_agent',
  'client_id',
  'contact_ids',
  'file_id',
  'invite_id',
  'request_id',
  'template_id',
  'user_id',
  'details',
  'event_id',
];

/**
 * One CSV field (RFC 4180: quoted, quotes doubled). A value a spreadsheet would run as a formula
 * (starting with =, +, -, @, a tab or a carriage return) is prefixed with a quote mark (OWASP's
 * advice against CSV injection): the cell shows the text, nothing is evaluated.
 */
export function csvField(value: string | null | undefined): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(record: AuditRecordView): string {
  const o = record.objects;
  return `${[
    record.at,
    record.action,
    record.actor.kind,
    record.actor.id,
    record.actor.name,
    record.actor.email,
    record.ip,
    record.userAgent,
    o.clientId,
    (o.contactIds ?? []).join(' '),
    o.fileId,
    o.inviteId,
    o.requestId,
    o.templateId,
    o.userId,
    Object.keys(record.details).length > 0 ? JSON.stringify(record.details) : '',
    record.id,
  ]
    .map((v) => csvField(v ?? null))
    .join(',')}\r\n`;
}
