import { PageQueryDto } from './paging.dto';

/** A contacts import: one CSV file, at most this many data rows. */
export const IMPORT_MAX_ROWS = 10_000;
/** Far above 10,000 ordinary rows; a bigger file is refused before it is read to its end. */
export const IMPORT_MAX_BYTES = 8 * 1024 * 1024;

export const IMPORT_STATUSES = ['running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/**
 * What became of one row: a new contact (`created`), an existing one given this row's client or
 * missing phone (`updated`), one that already had it all (`unchanged`), or nothing (`skipped`).
 */
export const IMPORT_ROW_STATUSES = ['created', 'updated', 'unchanged', 'skipped'] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];

/** Why a row was skipped; stable, clients branch on them. */
export enum ImportRowCode {
  MissingName = 'MISSING_NAME',
  BadEmail = 'BAD_EMAIL',
  DuplicateEmail = 'DUPLICATE_EMAIL',
  DuplicateRow = 'DUPLICATE_ROW',
  BadPhone = 'BAD_PHONE',
  BadKind = 'BAD_KIND',
  ValueTooLong = 'VALUE_TOO_LONG',
  EmailTaken = 'CONTACT_EMAIL_TAKEN',
}
export const IMPORT_ROW_CODES = Object.values(ImportRowCode);

export interface ImportRowInvite {
  status: 'sent' | 'skipped';
  code: string | null;
  detail: string | null;
}

export interface ImportRowResult {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  status: ImportRowStatus;
  code: ImportRowCode | null;
  detail: string | null;
  clientName: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  clientId: string | null;
  contactId: string | null;
  /** With `invite=true`, for each imported contact with an email. */
  invite: ImportRowInvite | null;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  clientsCreated: number;
  invitesSent: number;
  invitesSkipped: number;
}

export interface ImportView {
  id: string;
  status: ImportStatus;
  fileName: string;
  invite: boolean;
  /** Data rows in the file. */
  total: number;
  /** Rows with a result so far. */
  processed: number;
  counts: ImportCounts;
  /** Why a `failed` import stopped. */
  error: { code: string; detail: string } | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
  /** A page of per-row results, in file order (`limit`, `cursor`). */
  rows: ImportRowResult[];
  nextCursor: string | null;
}

export class ImportRowsQueryDto extends PageQueryDto {}
