import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, withEvents } from '@cp/messaging';
import { afterCursor, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { StoredFile } from './file.schema';

export type NewUpload = Pick<
  StoredFile,
  '_id' | 'clientId' | 'objectKey' | 'name' | 'sharedWith' | 'uploadedBy' | 'uploaderKind' | 'requestId'
>;

export interface PageOptions {
  cursor?: string;
  limit: number;
}

// The outbox is the relay's bookkeeping: no read hands it out.
const HIDDEN = { pendingEvents: 0 } as const;

@Injectable()
export class FileRepository {
  constructor(@InjectModel(StoredFile.name) private readonly files: Model<StoredFile>) {}

  /** Records an upload before its first byte is stored. */
  async startUpload(scope: FirmScope, upload: NewUpload): Promise<void> {
    await this.files.create({ ...upload, firmId: scope.firmId, status: 'uploading', heartbeatAt: new Date() });
  }

  /** A small upload, already stored whole: recorded ready, with its events, in one insert. */
  async insertReady(
    scope: FirmScope,
    upload: NewUpload & Pick<StoredFile, 'size' | 'sha256' | 'contentType'>,
    events: OutboxEvent[],
  ): Promise<StoredFile> {
    const doc = withEvents(
      { ...upload, firmId: scope.firmId, status: 'ready' as const, heartbeatAt: new Date() },
      events,
    );
    return (await this.files.create(doc)).toObject<StoredFile>();
  }

  async heartbeat(scope: FirmScope, fileId: string): Promise<void> {
    await this.files.updateOne(
      scoped<StoredFile>(scope, { _id: fileId, status: 'uploading' }),
      { $set: { heartbeatAt: new Date() } },
      { timestamps: false },
    );
  }

  /** The bytes are stored: the file becomes visible, with its events, in one write. */
  async completeUpload(
    scope: FirmScope,
    fileId: string,
    facts: Pick<StoredFile, 'size' | 'sha256' | 'contentType' | 'clientId' | 'sharedWith' | 'requestId'>,
    events: OutboxEvent[],
  ): Promise<StoredFile | null> {
    return this.files
      .findOneAndUpdate(
        scoped<StoredFile>(scope, { _id: fileId, status: 'uploading' }),
        appendEvents<StoredFile>({ $set: { ...facts, status: 'ready' } }, events),
        { new: true, projection: HIDDEN },
      )
      .lean<StoredFile>()
      .exec();
  }

  async discardUpload(scope: FirmScope, fileId: string): Promise<void> {
    await this.files.deleteOne(scoped<StoredFile>(scope, { _id: fileId, status: 'uploading' }));
  }

  async findReady(scope: FirmScope, fileId: string): Promise<StoredFile | null> {
    return this.files
      .findOne(scoped<StoredFile>(scope, { _id: fileId, status: 'ready' }), HIDDEN)
      .lean<StoredFile>()
      .exec();
  }

  /** A file the contact may see: shared with them, or theirs. */
  async findVisibleTo(scope: FirmScope, contactId: string, fileId: string): Promise<StoredFile | null> {
    return this.files
      .findOne(scoped<StoredFile>(scope, { _id: fileId, status: 'ready', ...visibleTo(contactId) }), HIDDEN)
      .lean<StoredFile>()
      .exec();
  }

  async pageOfClient(scope: FirmScope, clientId: string, page: PageOptions): Promise<StoredFile[]> {
    return this.page(scope, { clientId }, page);
  }

  async pageVisibleTo(scope: FirmScope, contactId: string, page: PageOptions): Promise<StoredFile[]> {
    return this.page(scope, visibleTo(contactId), page);
  }

  async setSharedWith(
    scope: FirmScope,
    fileId: string,
    sharedWith: string[],
    events: OutboxEvent[],
  ): Promise<StoredFile | null> {
    return this.files
      .findOneAndUpdate(
        scoped<StoredFile>(scope, { _id: fileId, status: 'ready' }),
        appendEvents<StoredFile>({ $set: { sharedWith } }, events),
        { new: true, projection: HIDDEN },
      )
      .lean<StoredFile>()
      .exec();
  }

  async delete(scope: FirmScope, fileId: string): Promise<void> {
    await this.files.deleteOne(scoped<StoredFile>(scope, { _id: fileId }));
  }

  /** Uploads, of every firm, whose process stopped touching them before `before`. */
  async findStaleUploads(before: Date, limit: number): Promise<StoredFile[]> {
    return this.files
      .find({ status: 'uploading', heartbeatAt: { $lt: before } }, HIDDEN)
      .limit(limit)
      .lean<StoredFile[]>()
      .exec();
  }

  /** Removes an orphan only if it is still a stale upload (a late heartbeat keeps it). */
  async deleteStaleUpload(fileId: string, before: Date): Promise<boolean> {
    const result = await this.files.deleteOne({ _id: fileId, status: 'uploading', heartbeatAt: { $lt: before } });
    return result.deletedCount === 1;
  }

  /** Whether any firm has a record of this file id (the sweep's check before aborting parts). */
  async isRecorded(fileId: string): Promise<boolean> {
    return (await this.files.exists({ _id: fileId })) !== null;
  }

  private async page(scope: FirmScope, filter: Record<string, unknown>, page: PageOptions): Promise<StoredFile[]> {
    return this.files
      .find(scoped<StoredFile>(scope, { status: 'ready', $and: [filter, afterCursor(page.cursor)] }), HIDDEN)
      .sort(PAGE_ORDER)
      .limit(page.limit + 1)
      .lean<StoredFile[]>()
      .exec();
  }
}

function visibleTo(contactId: string): Record<string, unknown> {
  return { $or: [{ sharedWith: contactId }, { uploadedBy: contactId, uploaderKind: 'contact' }] };
}
