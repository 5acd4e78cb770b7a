import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { DataServiceConfig, IsHttpUrl, toBool, toInt } from '@cp/config';
import { DEFAULT_MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES_CEILING } from '@cp/contracts';

export class FilesConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3004;

  /** The S3 API endpoint, e.g. http://127.0.0.1:9000 for MinIO or https://s3.eu-west-1.amazonaws.com. */
  @IsHttpUrl('S3_ENDPOINT')
  S3_ENDPOINT!: string;

  @IsString()
  @MinLength(3, { message: 'S3_ACCESS_KEY must be set' })
  S3_ACCESS_KEY!: string;

  @IsString()
  @MinLength(8, { message: 'S3_SECRET_KEY must be at least 8 characters' })
  S3_SECRET_KEY!: string;

  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'S3_BUCKET must be a valid bucket name' })
  S3_BUCKET = 'client-portal';

  @IsString()
  S3_REGION = 'us-east-1';

  /** Path-style addressing (MinIO); virtual-hosted style for AWS when false. */
  @Transform(toBool)
  @IsBoolean()
  S3_PATH_STYLE = true;

  /** The contacts service: who belongs to which client and who has a portal account. */
  @IsHttpUrl('CONTACTS_URL')
  CONTACTS_URL!: string;

  /** The upload limit of a firm that has not set its own (5 GiB). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_UPLOAD_BYTES_CEILING)
  MAX_UPLOAD_BYTES = DEFAULT_MAX_UPLOAD_BYTES;

  /**
   * An upload whose process stopped sending heartbeats for this long is an orphan (the process
   * was killed): the sweep removes its metadata, object and unfinished multipart upload.
   */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(86_400)
  UPLOAD_STALE_SECONDS = 900;
}
