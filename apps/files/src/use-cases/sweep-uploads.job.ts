import { Injectable, Logger } from '@nestjs/common';
import { PollingJob } from '@cp/platform';
import { FilesConfig } from '../config';
import { FileRepository } from '../repositories/file.repository';
import { ObjectStore } from '../repositories/object-store.repository';

const BATCH = 100;

/**
 * Removes what a killed process left behind: `uploading` files whose heartbeat stopped, their
 * objects and unfinished multipart uploads, and multipart uploads with no file record at all.
 * Runs at start and then every quarter of UPLOAD_STALE_SECONDS (at most every minute).
 */
@Injectable()
export class SweepUploads extends PollingJob {
  protected readonly logger = new Logger(SweepUploads.name);

  constructor(
    private readonly files: FileRepository,
    private readonly store: ObjectStore,
    private readonly config: FilesConfig,
  ) {
    super();
  }

  protected get pauseMs(): number {
    return Math.min(60_000, (this.config.UPLOAD_STALE_SECONDS * 1000) / 4);
  }

  protected async runPass(): Promise<boolean> {
    this.countItems('removed', await this.sweep());
    return false;
  }

  /** One pass; returns how many orphans it removed. */
  async sweep(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.UPLOAD_STALE_SECONDS * 1000);
    let removed = 0;
    for (const file of await this.files.findStaleUploads(before, BATCH)) {
      await this.store.remove(file.objectKey);
      if (await this.files.deleteStaleUpload(file._id, before)) removed++;
    }
    // Parts of an upload whose record is gone: a live upload always has one (written first).
    for (const key of await this.store.staleIncompleteUploads('firms/', before)) {
      const fileId = key.split('/').pop() ?? '';
      if (await this.files.isRecorded(fileId)) continue;
      await this.store.abortIncomplete(key);
      removed++;
    }
    if (removed > 0) this.logger.log({ removed }, 'removed orphaned uploads');
    return removed;
  }
}
