import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ImportCounts, ImportRowResult, ImportStatus } from '@cp/contracts';
import { randomUUID } from 'node:crypto';
import type { CsvContactRow } from '../use-cases/import/csv-rows';

export const NO_COUNTS: ImportCounts = {
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  clientsCreated: 0,
  invitesSent: 0,
  invitesSkipped: 0,
};

/**
 * One CSV import: its progress and counts, and a lease like the outbox relay's so that one worker
 * of one replica works on it at a time. The rows themselves live in ContactImportChunk documents.
 */
@Schema({ collection: 'contact_imports', timestamps: true, versionKey: false })
export class ContactImport {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  /** Who started it: the invites are sent in their name. */
  @Prop({ required: true }) staffUserId!: string;
  @Prop({ required: true }) fileName!: string;
  @Prop({ required: true }) invite!: boolean;
  @Prop({ type: String, required: true }) status!: ImportStatus;
  @Prop({ required: true }) total!: number;
  /** Rows per chunk document (the import's batch size when it was stored). */
  @Prop({ required: true }) chunkRows!: number;
  /** Index of the next row to import; `total` once every row has a result. */
  @Prop({ type: Number, default: 0 }) next!: number;
  /** With `invite`: index in `results` of the next row to invite; -1 before that phase. */
  @Prop({ type: Number, default: -1 }) inviteNext!: number;
  @Prop({ type: Object, default: () => ({ ...NO_COUNTS }) }) counts!: ImportCounts;
  @Prop({ type: Object, default: null }) error!: { code: string; detail: string } | null;
  /** Workers claim a running import whose lease ran out; the epoch means "free now". */
  @Prop({ type: Date, default: () => new Date(0) }) leaseUntil!: Date;
  @Prop({ type: String, default: null }) claim!: string | null;
  /** Claims so far: an import that keeps failing is stopped (failed), not retried for ever. */
  @Prop({ type: Number, default: 0 }) attempts!: number;
  @Prop({ type: Date, default: null }) finishedAt!: Date | null;
  createdAt!: Date;
  updatedAt!: Date;
}

export const ContactImportSchema = SchemaFactory.createForClass(ContactImport);
ContactImportSchema.index({ status: 1, leaseUntil: 1 });
ContactImportSchema.index({ firmId: 1, createdAt: 1 });

/**
 * `chunkRows` rows of an import, read by `_id` (`<importId>:<first row index>`) alone: the rows
 * read from the file until they are imported (so a restarted service resumes where it stopped),
 * then their results. Small documents written once per batch, rather than one growing document.
 */
@Schema({ collection: 'contact_import_chunks', versionKey: false })
export class ContactImportChunk {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ type: [Object], default: [] }) input!: CsvContactRow[];
  @Prop({ type: [Object], default: [] }) results!: ImportRowResult[];
}

export const ContactImportChunkSchema = SchemaFactory.createForClass(ContactImportChunk);

export const chunkId = (importId: string, start: number) => `${importId}:${start}`;
