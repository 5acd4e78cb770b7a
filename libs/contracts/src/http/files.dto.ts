import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsDateString,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { Trim } from './transforms';

/** Contacts one file can be shared with, or one request can ask. */
export const SHARE_MAX = 100;
/** The default per-firm upload limit: 5 GiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 5 * 1024 ** 3;
/** The highest limit a firm can set: the S3 single-object maximum is 5 TiB, we stop at 50 GiB. */
export const MAX_UPLOAD_BYTES_CEILING = 50 * 1024 ** 3;

const CONTACT_ID = /^[A-Za-z0-9-]{1,64}$/;

export interface FileView {
  id: string;
  clientId: string;
  /** The sanitised original name; it is never part of the storage key. */
  name: string;
  /** Detected from the bytes, not taken from the uploader. */
  contentType: string;
  size: number;
  /** Hex SHA-256 of the bytes, computed while they streamed in. */
  sha256: string;
  sharedWith: string[];
  uploadedBy: string;
  uploaderKind: 'staff' | 'contact';
  requestId: string | null;
  createdAt: string;
  updatedAt: string;
}

export class UpdateFileSharingDto {
  @ApiProperty({ type: [String], maxItems: SHARE_MAX, description: 'The whole new list of contact ids' })
  @IsArray()
  @ArrayMaxSize(SHARE_MAX)
  @Matches(CONTACT_ID, { each: true, message: 'each sharedWith entry must be a contact id' })
  sharedWith!: string[];
}

export const REQUEST_STATUSES = ['open', 'done'] as const;
export type DocumentRequestStatus = (typeof REQUEST_STATUSES)[number];

export class CreateDocumentRequestDto {
  @ApiProperty({ maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200)
  title!: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiProperty({ type: [String], minItems: 1, maxItems: SHARE_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SHARE_MAX)
  @Matches(CONTACT_ID, { each: true, message: 'each contactIds entry must be a contact id' })
  contactIds!: string[];

  @ApiPropertyOptional({ description: 'ISO 8601 date or date-time' })
  @IsOptional()
  @IsDateString()
  dueDate?: string;
}

export interface DocumentRequestView {
  id: string;
  clientId: string;
  title: string;
  description: string | null;
  contactIds: string[];
  dueDate: string | null;
  status: DocumentRequestStatus;
  /** The files uploaded to fulfil it. */
  fileIds: string[];
  fulfilledBy: string | null;
  fulfilledAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export class FileSettingsDto {
  @ApiProperty({ minimum: 1, maximum: MAX_UPLOAD_BYTES_CEILING, description: 'Largest upload in bytes' })
  @IsInt()
  @Min(1)
  @Max(MAX_UPLOAD_BYTES_CEILING)
  maxUploadBytes!: number;
}

export interface FileSettingsView {
  maxUploadBytes: number;
}
