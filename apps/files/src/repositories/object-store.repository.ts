import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { probe, ReadinessCheck } from '@cp/platform';
import { Client } from 'minio';
import type { Readable } from 'node:stream';
import { FilesConfig } from '../config';

/**
 * Size of each multipart part. The client would otherwise pick its part size from the largest
 * possible object (5 TiB / 10,000 parts ≈ 550 MB) and buffer that much; we hold one part at a
 * time, so an upload costs about this much memory whatever its size.
 */
export const PART_SIZE = 8 * 1024 * 1024;

/** Where a firm's objects live: one bucket, one prefix per firm, keys made of ids only. */
export function firmPrefix(firmId: string): string {
  return `firms/${firmId}/`;
}

export function objectKey(firmId: string, fileId: string): string {
  return `${firmPrefix(firmId)}files/${fileId}`;
}

/** A multipart upload in progress: parts are sent as they fill, never the whole file. */
export interface ObjectWriter {
  write(chunk: Buffer): Promise<void>;
  /** Sends what is left and completes the object. */
  finish(): Promise<void>;
  /** Cancels: aborts the multipart upload so no part is kept. Safe to call more than once. */
  abort(): Promise<void>;
}

/** The object store (MinIO or any S3); the only place the minio client is touched. */
@Injectable()
export class ObjectStore implements OnApplicationBootstrap {
  private readonly logger = new Logger(ObjectStore.name);
  readonly client: Client;
  readonly bucket: string;
  readonly target: string;

  constructor(config: FilesConfig) {
    const url = new URL(config.S3_ENDPOINT);
    const useSSL = url.protocol === 'https:';
    this.client = new Client({
      endPoint: url.hostname,
      port: Number(url.port || (useSSL ? 443 : 80)),
      useSSL,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      region: config.S3_REGION,
      pathStyle: config.S3_PATH_STYLE,
      partSize: PART_SIZE,
    });
    this.bucket = config.S3_BUCKET;
    this.target = `${url.host}/${config.S3_BUCKET}`;
  }

  /** Creates the bucket on first start; a store that is down now is retried by /ready, not fatal. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.ensureBucket();
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'could not ensure bucket at start; will retry on readiness checks');
    }
  }

  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket);
  }

  /**
   * Starts writing an object; bytes are sent in PART_SIZE parts as they arrive. An object that
   * fits in one part goes up in one request at `finish`; `beforeMultipart` runs only when a
   * multipart upload is about to start (a large file), so a small one costs one request.
   */
  writer(key: string, contentType: () => string, beforeMultipart?: () => Promise<void>): ObjectWriter {
    return new MultipartWriter(this.client, this.bucket, key, contentType, beforeMultipart);
  }

  async read(key: string): Promise<Readable> {
    return this.client.getObject(this.bucket, key);
  }

  /** Removes an object and any unfinished multipart upload of that key; a missing one is fine. */
  async remove(key: string): Promise<void> {
    await this.abortIncomplete(key);
    await this.client.removeObject(this.bucket, key);
  }

  /** Unfinished multipart uploads under a prefix that were started before `olderThan`. */
  async staleIncompleteUploads(prefix: string, olderThan: Date): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listIncompleteUploads(this.bucket, prefix, true)) {
      const upload = item as { key: string; initiated?: Date };
      if (!upload.initiated || new Date(upload.initiated) < olderThan) keys.push(upload.key);
    }
    return keys;
  }

  async abortIncomplete(key: string): Promise<void> {
    try {
      await this.client.removeIncompleteUpload(this.bucket, key);
    } catch (error) {
      // Listed a moment ago, completed or aborted since: nothing left to abort.
      if ((error as { code?: string }).code !== 'NoSuchUpload') throw error;
    }
  }
}

class MultipartWriter implements ObjectWriter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private uploadId?: string;
  private readonly parts: { part: number; etag: string }[] = [];
  private done = false;

  constructor(
    private readonly client: Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly contentType: () => string,
    private readonly beforeMultipart?: () => Promise<void>,
  ) {}

  async write(chunk: Buffer): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    // Strictly more than a part: a file of exactly one part still goes up in one request.
    while (this.pendingBytes > PART_SIZE) await this.sendPart(this.take(PART_SIZE));
  }

  async finish(): Promise<void> {
    const rest = this.take(this.pendingBytes);
    if (this.uploadId === undefined) {
      // Small enough for one request: no multipart upload at all.
      await this.client.putObject(this.bucket, this.key, rest, rest.length, { 'Content-Type': this.contentType() });
      return;
    }
    if (rest.length > 0) await this.sendPart(rest);
    await this.client.completeMultipartUpload(this.bucket, this.key, this.uploadId, this.parts);
    this.done = true;
  }

  async abort(): Promise<void> {
    this.pending = [];
    this.pendingBytes = 0;
    if (this.done || this.uploadId === undefined) return;
    this.done = true;
    await this.client.abortMultipartUpload(this.bucket, this.key, this.uploadId);
  }

  private take(bytes: number): Buffer {
    const all = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    const part = all.subarray(0, bytes);
    const rest = all.subarray(bytes);
    this.pending = rest.length > 0 ? [rest] : [];
    this.pendingBytes = rest.length;
    return part;
  }

  private async sendPart(part: Buffer): Promise<void> {
    if (this.uploadId === undefined) await this.beforeMultipart?.();
    this.uploadId ??= await this.client.initiateNewMultipartUpload(this.bucket, this.key, {
      'Content-Type': this.contentType(),
    });
    const partNumber = this.parts.length + 1;
    const { etag } = await this.client.uploadPart(
      { bucketName: this.bucket, objectName: this.key, uploadID: this.uploadId, partNumber, headers: {} },
      part,
    );
    this.parts.push({ part: partNumber, etag });
  }
}

@Injectable()
export class ObjectStoreReadiness implements ReadinessCheck {
  constructor(
    private readonly store: ObjectStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    return probe(this.indicators, 'object-store', this.store.target, async () => this.store.ensureBucket());
  }
}
