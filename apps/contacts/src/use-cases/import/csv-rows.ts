import { DomainError, ErrorCode, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS } from '@cp/contracts';
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';

/** One data row of an import file, its cells by meaning (empty cells are ''). */
export interface CsvContactRow {
  /** The row as a spreadsheet numbers it: the header is row 1. */
  row: number;
  clientName: string;
  kind: string;
  firstName: string;
  lastName: string;
  /** A "Name" / "Full name" column, split into first and last when those are missing. */
  fullName: string;
  email: string;
  phone: string;
}

type Field = Exclude<keyof CsvContactRow, 'row'>;

/** Header names, lower-cased with everything but letters and digits removed ("E-mail" → "email"). */
const HEADER_NAMES: Record<Field, string[]> = {
  clientName: [
    'client',
    'clientname',
    'company',
    'companyname',
    'business',
    'businessname',
    'household',
    'organisation',
    'organization',
    'account',
    'accountname',
  ],
  kind: ['kind', 'type', 'clientkind', 'clienttype'],
  firstName: ['firstname', 'first', 'givenname', 'forename', 'contactfirstname'],
  lastName: ['lastname', 'last', 'surname', 'familyname', 'contactlastname'],
  fullName: ['name', 'fullname', 'contact', 'contactname', 'person'],
  email: ['email', 'emailaddress', 'mail', 'contactemail', 'emailaddr'],
  phone: ['phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'cell', 'cellphone', 'contactphone'],
};

const FIELD_BY_HEADER = new Map(
  (Object.entries(HEADER_NAMES) as [Field, string[]][]).flatMap(([field, names]) => names.map((n) => [n, field])),
);

export const normaliseHeader = (header: string) => header.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** The headers the import understands, for error messages and the docs. */
export const RECOGNISED_HEADERS = 'Client, Kind, First name, Last name, Name, Email, Phone';

function invalid(message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, 'The import file is not valid.', {
    errors: [{ field: 'file', message }],
  });
}

/** The header line's delimiter: whichever of `;` `,` and tab occurs most outside quotes. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const [char, count] of counts) if (count > (counts.get(best) ?? 0)) best = char;
  return best;
}

/**
 * Reads an import file as it arrives (UTF-8, with or without BOM; comma, semicolon or tab
 * separated, found from the header line) into rows by meaning. At most IMPORT_MAX_ROWS data rows
 * and IMPORT_MAX_BYTES: past either, the reading stops with 413 FILE_TOO_LARGE.
 */
export async function readCsvRows(bytes: Readable): Promise<CsvContactRow[]> {
  const head = await readHeaderLine(bytes);
  const parser = parse({
    bom: true,
    delimiter: detectDelimiter(head.line),
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    max_record_size: 64 * 1024,
  });
  let size = head.buffered.length;
  const rows: CsvContactRow[] = [];
  let fields: (Field | null)[] | null = null;
  const tooLarge = (what: string) =>
    new DomainError(ErrorCode.FileTooLarge, `The import file has more than ${what}.`, {
      maxRows: IMPORT_MAX_ROWS,
      maxBytes: IMPORT_MAX_BYTES,
    });

  return new Promise<CsvContactRow[]>((resolve, reject) => {
    let done = false;
    const fail = (error: unknown) => {
      if (done) return;
      done = true;
      bytes.unpipe(parser);
      parser.destroy();
      bytes.resume(); // the rest is dropped by the caller
      reject(error instanceof DomainError ? error : invalid(`the CSV cannot be read: ${String(error)}`));
    };
    parser.on('readable', () => {
      let record: string[] | null;
      while (!done && (record = parser.read() as string[] | null) !== null) {
        if (!fields) {
          fields = record.map((header) => FIELD_BY_HEADER.get(normaliseHeader(header)) ?? null);
          if (!fields.some((f) => f === 'firstName' || f === 'lastName' || f === 'fullName' || f === 'email')) {
            fail(invalid(`no column of names or emails found in the header; recognised: ${RECOGNISED_HEADERS}`));
          }
          continue;
        }
        if (rows.length >= IMPORT_MAX_ROWS) return fail(tooLarge(`${IMPORT_MAX_ROWS.toLocaleString('en')} rows`));
        rows.push(toRow(fields, record, rows.length + 2));
      }
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (done) return;
      done = true;
      if (!fields) reject(invalid('the file is empty'));
      else resolve(rows);
    });
    bytes.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > IMPORT_MAX_BYTES) fail(tooLarge(`${IMPORT_MAX_BYTES / 1024 / 1024} MiB`));
    });
    bytes.on('error', fail);
    parser.write(head.buffered);
    if (head.ended) parser.end();
    else bytes.pipe(parser);
  });
}

function toRow(fields: (Field | null)[], record: string[], row: number): CsvContactRow {
  const result: CsvContactRow = {
    row,
    clientName: '',
    kind: '',
    firstName: '',
    lastName: '',
    fullName: '',
    email: '',
    phone: '',
  };
  fields.forEach((field, i) => {
    // The first column of a meaning wins; a second "Phone" column does not overwrite it.
    if (field && !result[field] && record[i]) result[field] = record[i];
  });
  return result;
}

/** Reads until the first line break (at most 64 KiB) without losing any byte for the parser. */
async function readHeaderLine(bytes: Readable): Promise<{ line: string; buffered: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const finish = (ended: boolean) => {
      bytes.off('data', onData);
      bytes.off('end', onEnd);
      bytes.off('error', reject);
      bytes.pause();
      const buffered = Buffer.concat(chunks);
      const end = buffered.indexOf(0x0a);
      resolve({ line: buffered.subarray(0, end === -1 ? buffered.length : end).toString('utf8'), buffered, ended });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      length += chunk.length;
      if (chunk.includes(0x0a) || length >= 64 * 1024) finish(false);
    };
    const onEnd = () => finish(true);
    bytes.on('data', onData);
    bytes.once('end', onEnd);
    bytes.once('error', reject);
  });
}
