import { Injectable, Logger } from '@nestjs/common';
import {
  BULK_INVITE_MAX,
  createEvent,
  DomainError,
  ErrorCode,
  ImportCounts,
  ImportRowCode,
  ImportRowInvite,
  ImportRowResult,
  InviteTargetDto,
  Topic,
} from '@cp/contracts';
import { currentCorrelationId, firmScope, FirmScope, IncomingFile } from '@cp/platform';
import { randomUUID } from 'node:crypto';
import { ClientRepository } from '../../repositories/client.repository';
import { ClaimedImport, ContactImportRepository } from '../../repositories/contact-import.repository';
import { ContactImport } from '../../repositories/contact-import.schema';
import { ContactRepository, NewContact } from '../../repositories/contact.repository';
import { Contact } from '../../repositories/contact.schema';
import { FirmRepository } from '../../repositories/firm.repository';
import { InvitesService, InvitesUnavailableError } from '../../repositories/invites-service.repository';
import { StaffUserRepository } from '../../repositories/staff-user.repository';
import { readCsvRows } from './csv-rows';
import { rowIdentity, skippedRow, validateRow, ValidRow } from './import-rows';

/** Rows per set-based step: one read and one write of each kind per batch, not per row. */
export const IMPORT_BATCH = 500;
/** A worker holds an import this long past its last batch; then another (or a restart) resumes it. */
export const IMPORT_LEASE_MS = 30_000;
/** An import claimed this many times without finishing is stopped and marked failed. */
const MAX_ATTEMPTS = 5;

const FORM_FIELDS = new Set(['invite']);

function invalidField(field: string, message: string): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, 'The import form is not valid.', {
    errors: [{ field, message }],
  });
}

function parseInvite(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1' || value === 'on') return true;
  throw invalidField('invite', 'invite must be true or false');
}

/** What the file said for rows already imported: later rows with the same identity are duplicates. */
type SeenInFile = Map<string, number>;

/**
 * Imports clients and contacts from a CSV file. `start` reads the file (streamed, bounded) and
 * stores the job; the worker then imports it a batch at a time (`run`), with a result per row,
 * and with `invite` sends the invites through the invites service's bulk route.
 *
 * Idempotent by rule: a client is the firm's client of the same name (case-insensitive, the
 * oldest if several), a contact is the firm's contact with the same email, or without an email,
 * the contact of that client with the same first and last name. Importing a file again finds
 * every one of them and creates nothing.
 */
@Injectable()
export class ImportContacts {
  private readonly logger = new Logger(ImportContacts.name);

  constructor(
    private readonly imports: ContactImportRepository,
    private readonly clients: ClientRepository,
    private readonly contacts: ContactRepository,
    private readonly firms: FirmRepository,
    private readonly staff: StaffUserRepository,
    private readonly invites: InvitesService,
  ) {}

  async start(scope: FirmScope, staffUserId: string, file: IncomingFile): Promise<ContactImport> {
    for (const name of Object.keys(file.fields)) {
      if (!FORM_FIELDS.has(name)) throw invalidField(name, `unknown field "${name}"`);
    }
    const rows = await readCsvRows(file.bytes);
    const fields = { ...file.fields, ...((await file.restOfForm?.()) ?? {}) };
    for (const name of Object.keys(fields)) {
      if (!FORM_FIELDS.has(name)) throw invalidField(name, `unknown field "${name}"`);
    }
    const invite = parseInvite(fields.invite);
    if (rows.length === 0) throw invalidField('file', 'the file has a header but no rows');
    return this.imports.create(scope, {
      staffUserId,
      fileName: file.name.slice(0, 255),
      invite,
      input: rows,
      chunkRows: IMPORT_BATCH,
    });
  }

  /**
   * Imports what is left of a claimed job; stops quietly if another worker took it over, and
   * hands it back between two batches when the process is stopping.
   */
  async run(job: ClaimedImport, stopping: () => boolean = () => false): Promise<void> {
    if (job.attempts > MAX_ATTEMPTS) {
      this.logger.error({ importId: job._id, next: job.next }, 'import stopped after repeated failures');
      await this.imports.finish(job, {
        code: ErrorCode.Internal,
        detail:
          `The import stopped after ${job.next} of ${job.total} rows and could not go on. Rows with a ` +
          'result were imported; import the same file again to finish (nothing is created twice).',
      });
      return;
    }
    const scope = firmScope(job.firmId);
    const started = Date.now();
    // Where the time goes, in the log line of a finished import: the batches' reads and writes, the results.
    const timings = { batchesMs: 0, recordMs: 0 };
    if (job.next < job.total) {
      const input = await this.imports.input(job, job.next);
      const seen = seenIn(await this.imports.results(job));
      const known = await this.firmDirectory(scope);
      for (let next = job.next; next < job.total; next += job.chunkRows) {
        if (stopping()) return this.imports.release(job);
        const batch = input.slice(next - job.next, next - job.next + job.chunkRows);
        const batchStarted = Date.now();
        const { results, counts } = await this.importBatch(scope, batch, seen, known);
        const recordStarted = Date.now();
        timings.batchesMs += recordStarted - batchStarted;
        if (!(await this.imports.recordRows(job, next, results, counts, IMPORT_LEASE_MS))) return;
        timings.recordMs += Date.now() - recordStarted;
      }
    }
    if (job.invite && !(await this.sendInvites(scope, job))) return;
    await this.imports.finish(job);
    this.logger.log({ importId: job._id, rows: job.total, ms: Date.now() - started, ...timings }, 'import done');
  }

  /**
   * Who the firm already has, read once per run: on the local MongoDB-wire server a query by
   * anything but `_id` scans the collection, so matching each batch by email or name would cost
   * a scan per batch (3.4 s for 500 emails among 10,000 contacts; 0.3 s by `_id`). Kept up to
   * date with what this import writes; a contact someone else adds meanwhile is caught by the
   * unique email index (CONTACT_EMAIL_TAKEN).
   */
  private async firmDirectory(scope: FirmScope): Promise<FirmDirectory> {
    const [clients, contacts] = await Promise.all([this.clients.nameIndex(scope), this.contacts.identityIndex(scope)]);
    const known: FirmDirectory = { clientByName: new Map(), contactByIdentity: new Map() };
    for (const c of clients) if (!known.clientByName.has(c.nameLower)) known.clientByName.set(c.nameLower, c._id);
    for (const c of contacts) remember(known, c);
    return known;
  }

  /** One batch: the existing contacts it names read by _id, then one write of each kind. */
  private async importBatch(
    scope: FirmScope,
    batch: Parameters<typeof validateRow>[0][],
    seen: SeenInFile,
    known: FirmDirectory,
  ): Promise<{ results: ImportRowResult[]; counts: Partial<ImportCounts> }> {
    const results = new Map<number, ImportRowResult>();
    const valid: ValidRow[] = [];
    for (const raw of batch) {
      const checked = validateRow(raw);
      if ('skipped' in checked) {
        results.set(raw.row, checked.skipped);
        continue;
      }
      const { key, code } = rowIdentity(checked.valid);
      const first = seen.get(key);
      if (first !== undefined) {
        results.set(raw.row, skippedRow(raw, code, `Row ${first} already has this contact for this client.`));
        continue;
      }
      seen.set(key, raw.row);
      valid.push(checked.valid);
    }

    const clientsCreated = await this.clientsFor(scope, valid, known);
    const clientIds = known.clientByName;
    const identity = (r: ValidRow) =>
      r.email ? `email:${r.email}` : `name:${nameKey(clientIds.get(r.clientKey) as string, r.firstName, r.lastName)}`;
    const existingIds = [...new Set(valid.flatMap((r) => known.contactByIdentity.get(identity(r)) ?? []))];
    const existingById = new Map((await this.contacts.findByIds(scope, existingIds)).map((c) => [c._id, c]));
    const byEmail = new Map<string, Contact>();
    const withoutEmail = new Map<string, Contact>();
    for (const r of valid) {
      const contact = existingById.get(known.contactByIdentity.get(identity(r)) ?? '');
      if (!contact) continue;
      if (r.email) byEmail.set(r.email, contact);
      else withoutEmail.set(nameKey(clientIds.get(r.clientKey) as string, r.firstName, r.lastName), contact);
    }

    const created = new Map<string, NewContact>();
    const changed = new Map<string, { contact: Contact; addClientIds: Set<string>; phone?: string }>();
    const outcome = new Map<number, { status: ImportRowResult['status']; contactId: string; clientId: string }>();
    for (const r of valid) {
      const clientId = clientIds.get(r.clientKey) as string;
      const key = r.email ?? nameKey(clientId, r.firstName, r.lastName);
      const existing = r.email ? byEmail.get(r.email) : withoutEmail.get(key);
      const fresh = created.get(createdKey(r.email, key));
      if (fresh) {
        // A second row of the file for a contact it creates: the contact gets this client too.
        if (!fresh.clientIds.includes(clientId)) fresh.clientIds.push(clientId);
        if (!fresh.phone && r.phone) fresh.phone = r.phone;
        outcome.set(r.row, { status: 'updated', contactId: fresh._id, clientId });
      } else if (existing) {
        const change = changed.get(existing._id) ?? { contact: existing, addClientIds: new Set<string>() };
        const addClient = !existing.clientIds.includes(clientId);
        const addPhone = !existing.phone && !change.phone && r.phone ? r.phone : undefined;
        if (addClient) change.addClientIds.add(clientId);
        if (addPhone) change.phone = addPhone;
        if (addClient || addPhone) changed.set(existing._id, change);
        outcome.set(r.row, {
          status: addClient || addPhone ? 'updated' : 'unchanged',
          contactId: existing._id,
          clientId,
        });
      } else {
        const contact: NewContact = {
          _id: randomUUID(),
          clientIds: [clientId],
          firstName: r.firstName,
          lastName: r.lastName,
          email: r.email,
          phone: r.phone,
        };
        created.set(createdKey(r.email, key), contact);
        outcome.set(r.row, { status: 'created', contactId: contact._id, clientId });
      }
    }

    const correlationId = currentCorrelationId() ?? randomUUID();
    const firmId = scope.firmId;
    const stored = await this.contacts.insertMany(
      scope,
      [...created.values()].map((contact) => {
        const { _id: contactId, clientIds, firstName, lastName, email } = contact;
        const data = { contactId, clientIds, firstName, lastName, email };
        return {
          contact,
          events: [createEvent({ topic: Topic.ContactAdded, firmId, correlationId, key: contactId, data })],
        };
      }),
    );
    await this.contacts.linkMany(
      scope,
      [...changed.values()].map(({ contact, addClientIds, phone }) => {
        const contactId = contact._id;
        const changes = {
          ...(addClientIds.size > 0 ? { clientIds: [...contact.clientIds, ...addClientIds] } : {}),
          ...(phone ? { phone } : {}),
        };
        const data = { contactId, changed: changes };
        return {
          id: contactId,
          addClientIds: [...addClientIds],
          phone,
          events: [createEvent({ topic: Topic.ContactUpdated, firmId, correlationId, key: contactId, data })],
        };
      }),
    );

    for (const c of created.values()) if (stored.has(c._id)) remember(known, c);
    for (const { contact, addClientIds } of changed.values()) {
      remember(known, { ...contact, clientIds: [...contact.clientIds, ...addClientIds] });
    }
    const createdIds = new Set([...created.values()].map((c) => c._id));
    const names = new Map<string, { firstName: string; lastName: string }>();
    for (const c of [...created.values(), ...byEmail.values(), ...withoutEmail.values()]) names.set(c._id, c);
    const counts = { created: 0, updated: 0, unchanged: 0, skipped: 0, clientsCreated };
    for (const r of valid) {
      const o = outcome.get(r.row) as { status: ImportRowResult['status']; contactId: string; clientId: string };
      if (createdIds.has(o.contactId) && !stored.has(o.contactId)) {
        // Another request gave this email to a contact between our read and our write.
        results.set(r.row, skippedRow(r, ImportRowCode.EmailTaken, 'Another contact of this firm got this email.'));
        continue;
      }
      const person = names.get(o.contactId) ?? r;
      results.set(r.row, {
        row: r.row,
        status: o.status,
        code: null,
        detail: null,
        clientName: r.clientName,
        firstName: person.firstName,
        lastName: person.lastName,
        email: r.email,
        clientId: o.clientId,
        contactId: o.contactId,
        invite: null,
      });
    }
    const ordered = batch.map((raw) => results.get(raw.row) as ImportRowResult);
    for (const result of ordered) counts[result.status]++;
    return { results: ordered, counts };
  }

  /** The client of each row's name: the firm's existing one, else one created (one write). */
  private async clientsFor(scope: FirmScope, rows: ValidRow[], known: FirmDirectory): Promise<number> {
    const fresh: { _id: string; name: string; kind: ValidRow['kind'] }[] = [];
    for (const r of rows) {
      if (known.clientByName.has(r.clientKey)) continue;
      const client = { _id: randomUUID(), name: r.clientName, kind: r.kind };
      known.clientByName.set(r.clientKey, client._id);
      fresh.push(client);
    }
    await this.clients.insertMany(scope, fresh);
    return fresh.length;
  }

  /**
   * Invites each imported contact with an email once (its first row), a bulk of at most
   * BULK_INVITE_MAX at a time, and records each outcome on the row. False if the claim was lost.
   */
  private async sendInvites(scope: FirmScope, job: ClaimedImport): Promise<boolean> {
    const results = await this.imports.results({ ...job, next: job.total });
    const firstRow = new Map<string, number>();
    results.forEach((r, i) => {
      if (r.contactId && r.email && r.status !== 'skipped' && !firstRow.has(r.contactId)) firstRow.set(r.contactId, i);
    });
    const indexes = [...firstRow.values()].filter((i) => i >= Math.max(0, job.inviteNext)).sort((a, b) => a - b);
    const sender = await this.sender(scope, job.staffUserId);
    for (let start = 0; start < indexes.length; start += BULK_INVITE_MAX) {
      const chunk = indexes.slice(start, start + BULK_INVITE_MAX);
      const outcomes = await this.inviteChunk(scope, sender, chunk, results);
      const sent = [...outcomes.values()].filter((o) => o.status === 'sent').length;
      const next = chunk[chunk.length - 1] + 1;
      const counts = { invitesSent: sent, invitesSkipped: outcomes.size - sent };
      if (!(await this.imports.recordInvites(job, outcomes, next, counts, IMPORT_LEASE_MS))) return false;
    }
    return true;
  }

  private async inviteChunk(
    scope: FirmScope,
    sender: Awaited<ReturnType<ImportContacts['sender']>>,
    chunk: number[],
    results: ImportRowResult[],
  ): Promise<Map<number, ImportRowInvite>> {
    const skipAll = (code: string, detail: string) =>
      new Map(chunk.map((i): [number, ImportRowInvite] => [i, { status: 'skipped', code, detail }]));
    if (!sender) return skipAll(ErrorCode.NotFound, 'The staff member who started the import is no longer here.');
    const targets: InviteTargetDto[] = chunk.map((i) => {
      const r = results[i];
      return {
        contactId: r.contactId as string,
        clientId: r.clientId as string,
        email: r.email as string,
        contactFirstName: r.firstName as string,
        contactLastName: r.lastName as string,
      };
    });
    try {
      const issued = await this.invites.issue(scope, { ...sender, targets });
      const byContact = new Map(issued.map((r) => [r.contactId, r]));
      return new Map(
        chunk.map((i): [number, ImportRowInvite] => {
          const r = byContact.get(results[i].contactId as string);
          if (!r) return [i, { status: 'skipped', code: ErrorCode.ServiceUnavailable, detail: 'No answer for it.' }];
          return [
            i,
            r.status === 'sent'
              ? { status: 'sent', code: null, detail: null }
              : { status: 'skipped', code: r.code, detail: r.detail },
          ];
        }),
      );
    } catch (error) {
      if (!(error instanceof InvitesUnavailableError)) throw error;
      return skipAll(
        ErrorCode.ServiceUnavailable,
        'The invites could not be sent now; invite these contacts from the client page.',
      );
    }
  }

  /** The invite's sender as the invites service records it: who started the import, the firm's look now. */
  private async sender(scope: FirmScope, staffUserId: string) {
    const [user, firm] = await Promise.all([
      this.staff.findById(scope, staffUserId),
      this.firms.findById(scope.firmId),
    ]);
    if (!user || !firm) return null;
    return {
      firmName: firm.name,
      firmSlug: firm.slug,
      inviterId: user._id,
      inviterName: user.name,
      inviterEmail: user.email,
      firmBranding: { logoUrl: firm.logoUrl ?? null, brandColor: firm.brandColor ?? null },
    };
  }
}

/** The firm's clients by lower-cased name, its contacts by email or (without one) client and name. */
interface FirmDirectory {
  clientByName: Map<string, string>;
  contactByIdentity: Map<string, string>;
}

function remember(
  known: FirmDirectory,
  c: { _id: string; email: string | null; clientIds: string[]; firstName: string; lastName: string },
): void {
  if (c.email) known.contactByIdentity.set(`email:${c.email}`, c._id);
  else
    for (const clientId of c.clientIds)
      known.contactByIdentity.set(`name:${nameKey(clientId, c.firstName, c.lastName)}`, c._id);
}

function nameKey(clientId: string, firstName: string, lastName: string): string {
  return `${clientId}|${firstName.toLowerCase()}|${lastName.toLowerCase()}`;
}

function createdKey(email: string | null, nameKey: string): string {
  return email ? `email:${email}` : `name:${nameKey}`;
}

/** The identities of rows already imported (a resumed import continues the duplicate checks). */
function seenIn(results: ImportRowResult[]): SeenInFile {
  const seen: SeenInFile = new Map();
  for (const r of results) {
    if (r.status === 'skipped' || !r.clientName || !r.firstName || !r.lastName) continue;
    const { key } = rowIdentity({
      clientKey: r.clientName.toLowerCase(),
      email: r.email,
      firstName: r.firstName,
      lastName: r.lastName,
    });
    if (!seen.has(key)) seen.set(key, r.row);
  }
  return seen;
}
