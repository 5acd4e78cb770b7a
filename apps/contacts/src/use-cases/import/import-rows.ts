import { ClientKind, ImportRowCode, ImportRowResult, PHONE } from '@cp/contracts';
import { isEmail } from 'class-validator';
import type { CsvContactRow } from './csv-rows';

/** A row that can be imported: names, client and email as they will be stored. */
export interface ValidRow {
  row: number;
  clientName: string;
  /** The client's name lower-cased: rows and existing clients with the same one are one client. */
  clientKey: string;
  kind: ClientKind;
  firstName: string;
  lastName: string;
  email: string | null;
  phone: string | null;
}

const KINDS: Record<string, ClientKind> = {
  individual: 'individual',
  person: 'individual',
  household: 'individual',
  family: 'individual',
  business: 'business',
  company: 'business',
  organisation: 'business',
  organization: 'business',
};

type RowNames = { row: number } & Partial<Record<'clientName' | 'firstName' | 'lastName' | 'email', string | null>>;

/** A skipped row's result, with what the row said so a person can find it. */
export function skippedRow(raw: RowNames, code: ImportRowCode, detail: string) {
  return {
    row: raw.row,
    status: 'skipped',
    code,
    detail,
    clientName: raw.clientName || null,
    firstName: raw.firstName || null,
    lastName: raw.lastName || null,
    email: raw.email || null,
    clientId: null,
    contactId: null,
    invite: null,
  } satisfies ImportRowResult;
}

/** A "Name" cell when there are no first/last name cells: the last word is the last name. */
function splitFullName(full: string): { firstName: string; lastName: string } {
  const words = full.split(/\s+/).filter(Boolean);
  if (words.length < 2) return { firstName: words[0] ?? '', lastName: '' };
  return { firstName: words.slice(0, -1).join(' '), lastName: words[words.length - 1] };
}

/**
 * Checks one row the way adding a contact by hand is checked. A row without a client names its
 * own: an individual client called after the person ("Ada Lovelace").
 */
export function validateRow(raw: CsvContactRow): { valid: ValidRow } | { skipped: ImportRowResult } {
  const names =
    raw.firstName || raw.lastName ? { firstName: raw.firstName, lastName: raw.lastName } : splitFullName(raw.fullName);
  const shown = { ...raw, ...names };
  if (!names.firstName || !names.lastName) {
    return { skipped: skippedRow(shown, ImportRowCode.MissingName, 'A first and a last name are both required.') };
  }
  if (names.firstName.length > 100 || names.lastName.length > 100 || raw.clientName.length > 200) {
    return {
      skipped: skippedRow(shown, ImportRowCode.ValueTooLong, 'Names are at most 100 characters, clients 200.'),
    };
  }
  const email = raw.email ? raw.email.toLowerCase() : null;
  if (email && (email.length > 254 || !isEmail(email))) {
    return { skipped: skippedRow(shown, ImportRowCode.BadEmail, `"${raw.email}" is not an email address.`) };
  }
  if (raw.phone && !PHONE.test(raw.phone)) {
    return {
      skipped: skippedRow(shown, ImportRowCode.BadPhone, 'A phone number is 3-32 digits, spaces, +, -, ( or ).'),
    };
  }
  const kind = raw.kind ? KINDS[raw.kind.toLowerCase()] : undefined;
  if (raw.kind && !kind) {
    return { skipped: skippedRow(shown, ImportRowCode.BadKind, 'The kind of client is "individual" or "business".') };
  }
  const clientName = raw.clientName || `${names.firstName} ${names.lastName}`;
  return {
    valid: {
      row: raw.row,
      clientName,
      clientKey: clientName.toLowerCase(),
      kind: kind ?? 'individual',
      firstName: names.firstName,
      lastName: names.lastName,
      email,
      phone: raw.phone || null,
    },
  };
}

/** Who a row is within the file: by email when it has one, else by client and name. */
export function rowIdentity(r: { clientKey: string; email: string | null; firstName: string; lastName: string }) {
  return r.email
    ? { key: `email:${r.email}|${r.clientKey}`, code: ImportRowCode.DuplicateEmail }
    : {
        key: `name:${r.clientKey}|${r.firstName.toLowerCase()}|${r.lastName.toLowerCase()}`,
        code: ImportRowCode.DuplicateRow,
      };
}
