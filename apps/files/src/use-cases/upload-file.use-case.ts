import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, FieldError } from '@cp/contracts';
import { FirmScope, IncomingFile } from '@cp/platform';
import { createHash, randomUUID } from 'node:crypto';
import { FilesConfig } from '../config';
import { ContactDirectory } from '../repositories/contact-directory.repository';
import { DocumentRequestRepository } from '../repositories/document-request.repository';
import { FileRepository } from '../repositories/file.repository';
import { StoredFile } from '../repositories/file.schema';
import { FileSettingsRepository } from '../repositories/file-settings.repository';
import { ObjectStore, objectKey } from '../repositories/object-store.repository';
import { detectContentType, SNIFF_BYTES } from './content-type';
import { fileShared, fileUploaded, requestFulfilled } from './file-events';
import { sanitizeFileName } from './file-names';
import { SharingRules } from './sharing-rules';
import { uploadBytes, uploadDuration, UploadOutcome, uploadSize } from '../metrics';

export type { IncomingFile };

interface UploadPlan {
  clientId: string;
  sharedWith: string[];
  uploadedBy: string;
  uploaderKind: 'staff' | 'contact';
  requestId: string | null;
}

/**
 * Decides where an upload goes from its form fields, with every check. `provisional`: more
 * fields may follow the file part, so a question only they can answer (which client) is left
 * open; the plan is made again from the whole form once the bytes are stored.
 */
type Planner = (fields: Record<string, string>, provisional: boolean) => Promise<UploadPlan & { open?: boolean }>;

const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Stores an upload as it streams in: the bytes go to the object store (in parts once larger than
 * one) while their SHA-256 and size are counted, then the file becomes visible with its events in
 * one write. A file of one part costs one object write and one metadata write; a larger one is
 * recorded `uploading` before its first part. Form fields may come before or after the file part:
 * those before are checked before the first byte is stored, those after once the bytes are, with
 * the same checks. Past the firm's limit, on a failed check, or on any failure, nothing is kept.
 */
@Injectable()
export class UploadFile {
  constructor(
    private readonly files: FileRepository,
    private readonly requests: DocumentRequestRepository,
    private readonly settings: FileSettingsRepository,
    private readonly store: ObjectStore,
    private readonly directory: ContactDirectory,
    private readonly sharing: SharingRules,
    private readonly config: FilesConfig,
  ) {}

  /** Firm staff upload to a client, optionally sharing with some of its contacts at once. */
  async byStaff(scope: FirmScope, staffUserId: string, clientId: string, file: IncomingFile): Promise<StoredFile> {
    const plan: Planner = async (fields) => {
      const unknownFields = Object.keys(fields).filter((f) => f !== 'sharedWith');
      if (unknownFields.length > 0) throw invalid(unknownFields.map((field) => ({ field, message: 'unknown field' })));
      const contactIds = parseContactIds(fields.sharedWith);
      // Independent look-ups, at once: each is a round trip before the first byte is read.
      const [, sharedWith] = await Promise.all([
        this.directory.assertClient(scope, clientId),
        this.sharing.assertCanReceive(scope, clientId, contactIds),
      ]);
      return { clientId, sharedWith, uploadedBy: staffUserId, uploaderKind: 'staff', requestId: null };
    };
    return this.receive(scope, file, plan);
  }

  /**
   * A contact's "Add a File": to the client of the request it fulfils, or to the client named in
   * `clientId`, or to the contact's only client.
   */
  async byContact(scope: FirmScope, contactId: string, file: IncomingFile): Promise<StoredFile> {
    const plan: Planner = async (fields, provisional) => {
      const { requestId, clientId: askedClient, ...rest } = fields;
      const unknownFields = Object.keys(rest);
      if (unknownFields.length > 0) throw invalid(unknownFields.map((field) => ({ field, message: 'unknown field' })));
      for (const [field, value] of Object.entries({ requestId, clientId: askedClient })) {
        if (value !== undefined && !ID.test(value)) throw invalid([{ field, message: `${field} must be an id` }]);
      }
      const planned: Omit<UploadPlan, 'clientId'> = {
        sharedWith: [],
        uploadedBy: contactId,
        uploaderKind: 'contact',
        requestId: requestId ?? null,
      };
      if (requestId) {
        const request = await this.requests.findFor(scope, contactId, requestId);
        if (!request) throw new DomainError(ErrorCode.NotFound, 'No such request.');
        return { ...planned, clientId: request.clientId };
      }
      const [standing] = await this.directory.standing(scope, [contactId]);
      const clientIds = standing?.clientIds ?? [];
      if (askedClient) {
        if (!clientIds.includes(askedClient)) throw new DomainError(ErrorCode.NotFound, 'No such client.');
        return { ...planned, clientId: askedClient };
      }
      if (clientIds.length === 1) return { ...planned, clientId: clientIds[0] };
      if (provisional && clientIds.length > 1) {
        return { ...planned, clientId: clientIds[0], open: true };
      }
      throw invalid([{ field: 'clientId', message: 'you belong to several clients: name one in clientId' }]);
    };
    const stored = await this.receive(scope, file, plan);
    if (stored.requestId) await this.requests.fulfil(scope, stored.requestId, contactId, stored._id);
    return stored;
  }

  async maxUploadBytes(scope: FirmScope): Promise<number> {
    return (await this.settings.find(scope))?.maxUploadBytes ?? this.config.MAX_UPLOAD_BYTES;
  }

  /** receive(), measured: bytes, duration and outcome of every upload. */
  private async receive(scope: FirmScope, file: IncomingFile, planFor: Planner): Promise<StoredFile> {
    const endTimer = uploadDuration.startTimer();
    const progress = { bytes: 0 };
    let outcome: UploadOutcome = 'failed';
    try {
      const stored = await this.storeUpload(scope, file, planFor, progress);
      outcome = 'stored';
      uploadSize.observe(stored.size);
      return stored;
    } catch (error) {
      if (error instanceof DomainError) outcome = error.code === ErrorCode.FileTooLarge ? 'too_large' : 'refused';
      throw error;
    } finally {
      endTimer({ outcome });
      uploadBytes.inc({ outcome }, progress.bytes);
    }
  }

  private async storeUpload(
    scope: FirmScope,
    file: IncomingFile,
    planFor: Planner,
    progress: { bytes: number },
  ): Promise<StoredFile> {
    const [first, limit] = await Promise.all([planFor(file.fields, true), this.maxUploadBytes(scope)]);
    const { open, ...provisional } = first;
    const fileId = randomUUID();
    const key = objectKey(scope.firmId, fileId);
    const name = sanitizeFileName(file.name);
    const upload = { _id: fileId, objectKey: key, name, ...provisional };
    // A file larger than one part is recorded as `uploading` before its first part is stored (the
    // orphan sweep's handle on it); a smaller one is stored whole, then recorded ready in one write.
    let recorded = false;
    const record = async () => {
      await this.files.startUpload(scope, upload);
      recorded = true;
    };

    const heartbeat = setInterval(
      () => {
        // Detached on purpose: a missed heartbeat only risks the sweep, never the upload's result.
        if (recorded) this.files.heartbeat(scope, fileId).catch(() => undefined);
      },
      Math.max(1000, (this.config.UPLOAD_STALE_SECONDS * 1000) / 4),
    );
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    let contentType: string | undefined;
    const typeOf = () => (contentType ??= detectContentType(Buffer.concat(head), name, size <= SNIFF_BYTES));
    const writer = this.store.writer(key, typeOf, record);
    try {
      for await (const chunk of file.bytes as AsyncIterable<Buffer>) {
        size += chunk.length;
        progress.bytes = size;
        if (size > limit) {
          throw new DomainError(ErrorCode.FileTooLarge, `Files of this firm may be at most ${limit} bytes.`, {
            maxUploadBytes: limit,
          });
        }
        hash.update(chunk);
        if (headBytes < SNIFF_BYTES) {
          head.push(chunk.subarray(0, SNIFF_BYTES - headBytes));
          headBytes += Math.min(chunk.length, SNIFF_BYTES - headBytes);
        }
        await writer.write(chunk);
      }
      await writer.finish();
      // Fields after the file part: the plan is made again from the whole form, with every check.
      const late = (await file.restOfForm?.()) ?? {};
      const plan =
        Object.keys(late).length > 0 || open ? await planFor({ ...file.fields, ...late }, false) : provisional;
      const facts = { size, sha256: hash.digest('hex'), contentType: typeOf() };
      const draft = { ...plan, _id: fileId, firmId: scope.firmId, name, size };
      const events = [
        fileUploaded(draft),
        ...(plan.sharedWith.length > 0 ? [fileShared(draft)] : []),
        ...requestFulfilled(draft),
      ];
      if (!recorded) return await this.files.insertReady(scope, { ...upload, ...placement(plan), ...facts }, events);
      const stored = await this.files.completeUpload(scope, fileId, { ...facts, ...placement(plan) }, events);
      if (!stored) throw new Error('upload record vanished while streaming');
      return stored;
    } catch (error) {
      file.bytes.resume(); // stop holding the parser; the caller decides what to do with the rest
      await this.discard(scope, fileId, key, writer, recorded, record);
      throw error;
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Nothing of a failed upload stays: no parts, no object, no metadata. */
  private async discard(
    scope: FirmScope,
    fileId: string,
    key: string,
    writer: { abort(): Promise<void> },
    recorded: boolean,
    record: () => Promise<void>,
  ): Promise<void> {
    // Each step on its own: what fails here is finished by the orphan sweep once the heartbeat is stale.
    await writer.abort().catch(() => undefined);
    const removed = await this.store.remove(key).then(
      () => true,
      () => false,
    );
    if (removed && recorded) await this.files.discardUpload(scope, fileId).catch(() => undefined);
    // A one-part upload has no record, and its write may have reached the store before the store
    // went away (found by test:faults: an object with no record after a MinIO restart). Recorded
    // `uploading` now, with no heartbeat to follow, it is the sweep's to remove once stale.
    if (!removed && !recorded) await record().catch(() => undefined);
  }
}

/** `sharedWith` is a JSON array of contact ids (a single bare id is accepted too). */
export function parseContactIds(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  let value: unknown;
  try {
    value = raw.trim().startsWith('[') ? JSON.parse(raw) : [raw.trim()];
  } catch {
    throw invalid([{ field: 'sharedWith', message: 'sharedWith must be a JSON array of contact ids' }]);
  }
  if (!Array.isArray(value) || value.length > 100 || !value.every((v) => typeof v === 'string' && ID.test(v))) {
    throw invalid([{ field: 'sharedWith', message: 'sharedWith must be a JSON array of up to 100 contact ids' }]);
  }
  return value as string[];
}

/** Where a stored file belongs, as the whole form decided it. */
function placement(plan: UploadPlan): Pick<StoredFile, 'clientId' | 'sharedWith' | 'requestId'> {
  return { clientId: plan.clientId, sharedWith: plan.sharedWith, requestId: plan.requestId };
}

function invalid(errors: FieldError[]): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, 'The upload form is not valid.', { errors });
}
