import { Injectable } from '@nestjs/common';
import { AccountKind, DomainError, ErrorCode } from '@cp/contracts';
import { EventLog } from '@cp/messaging';
import { FirmScope } from '@cp/platform';
import type { Readable } from 'node:stream';
import { ContactDirectory } from '../repositories/contact-directory.repository';
import { FileRepository, PageOptions } from '../repositories/file.repository';
import { StoredFile } from '../repositories/file.schema';
import { ObjectStore } from '../repositories/object-store.repository';
import { fileDeleted, fileDownloaded, fileShared } from './file-events';
import { SharingRules } from './sharing-rules';

export interface FileDownload {
  file: StoredFile;
  bytes: Readable;
}

const notFound = () => new DomainError(ErrorCode.NotFound, 'No such file.');

/** What firm staff and contacts do with stored files, each seeing only what they may. */
@Injectable()
export class FileLibrary {
  constructor(
    private readonly files: FileRepository,
    private readonly store: ObjectStore,
    private readonly sharing: SharingRules,
    private readonly directory: ContactDirectory,
    private readonly eventLog: EventLog,
  ) {}

  /** A client's files; another firm's client answers 404 like one that does not exist. */
  async listOfClient(scope: FirmScope, clientId: string, page: PageOptions): Promise<StoredFile[]> {
    const [, files] = await Promise.all([
      this.directory.assertClient(scope, clientId),
      this.files.pageOfClient(scope, clientId, page),
    ]);
    return files;
  }

  async get(scope: FirmScope, fileId: string): Promise<StoredFile> {
    return (await this.files.findReady(scope, fileId)) ?? Promise.reject(notFound());
  }

  /** A file the contact may see; any other answers exactly like one that does not exist. */
  async getForContact(scope: FirmScope, contactId: string, fileId: string): Promise<StoredFile> {
    return (await this.files.findVisibleTo(scope, contactId, fileId)) ?? Promise.reject(notFound());
  }

  async download(file: StoredFile): Promise<FileDownload> {
    return { file, bytes: await this.store.read(file.objectKey) };
  }

  /** Every download is a fact of the audit trail: by which staff member or contact. */
  async recordDownload(file: StoredFile, by: string, byKind: AccountKind): Promise<void> {
    await this.eventLog.record(fileDownloaded(file, by, byKind));
  }

  /** Replaces the list of contacts the file is shared with; FileShared names the new list. */
  async share(scope: FirmScope, fileId: string, contactIds: string[]): Promise<StoredFile> {
    const file = await this.get(scope, fileId);
    const sharedWith = await this.sharing.assertCanReceive(scope, file.clientId, contactIds);
    const same = sharedWith.length === file.sharedWith.length && sharedWith.every((c) => file.sharedWith.includes(c));
    if (same) return file;
    const updated = await this.files.setSharedWith(scope, fileId, sharedWith, [
      fileShared({ ...file, sharedWith }, file.sharedWith),
    ]);
    return updated ?? Promise.reject(notFound());
  }

  /** The object goes first: metadata without bytes can be deleted again, bytes without it could not. */
  async delete(scope: FirmScope, fileId: string): Promise<void> {
    const file = await this.get(scope, fileId);
    await this.store.remove(file.objectKey);
    // Recorded before the metadata goes: a crash in between leaves a record that can be deleted again.
    await this.eventLog.record(fileDeleted(file));
    await this.files.delete(scope, fileId);
  }
}
