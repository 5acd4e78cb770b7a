import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { outboxPlugin, WithOutbox } from '@cp/messaging';

export type FileStatus = 'uploading' | 'ready';

/**
 * One file's metadata; the bytes are in the object store under `objectKey`. Recorded as
 * `uploading` before the first byte is stored, so an upload cut short by a crash is found.
 */
@Schema({ collection: 'files', timestamps: true, versionKey: false })
export class StoredFile implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) clientId!: string;
  @Prop({ type: String, required: true }) status!: FileStatus;
  /** Made of ids only: `firms/<firmId>/files/<fileId>`. */
  @Prop({ required: true }) objectKey!: string;
  @Prop({ required: true }) name!: string;
  @Prop({ type: String, default: 'application/octet-stream' }) contentType!: string;
  @Prop({ type: Number, default: 0 }) size!: number;
  @Prop({ type: String, default: null }) sha256!: string | null;
  @Prop({ type: [String], default: [] }) sharedWith!: string[];
  @Prop({ required: true }) uploadedBy!: string;
  @Prop({ type: String, required: true }) uploaderKind!: 'staff' | 'contact';
  @Prop({ type: String, default: null }) requestId!: string | null;
  /** Touched while bytes flow; an `uploading` file without a recent heartbeat is an orphan. */
  @Prop({ type: Date, required: true }) heartbeatAt!: Date;
  createdAt!: Date;
  updatedAt!: Date;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export const StoredFileSchema = SchemaFactory.createForClass(StoredFile);
StoredFileSchema.plugin(outboxPlugin);
StoredFileSchema.index({ firmId: 1, clientId: 1, status: 1, createdAt: 1, _id: 1 });
// A contact's files are an $or of these two; each branch comes in page order, so MongoDB merges
// them without sorting (keyset paging stays flat to the last page).
StoredFileSchema.index({ firmId: 1, sharedWith: 1, status: 1, createdAt: 1, _id: 1 });
StoredFileSchema.index({ firmId: 1, uploadedBy: 1, uploaderKind: 1, status: 1, createdAt: 1, _id: 1 });
StoredFileSchema.index({ status: 1, heartbeatAt: 1 });
