import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { probe, ReadinessCheck } from '@cp/platform';
import { Client } from 'minio';
import { FilesConfig } from '../config';

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
}

@Injectable()
export class ObjectStoreReadiness implements ReadinessCheck {
  constructor(
    private readonly store: ObjectStore,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(): Promise<HealthIndicatorResult> {
    return probe(this.indicators, 'object-store', this.store.target, () => this.store.ensureBucket());
  }
}
