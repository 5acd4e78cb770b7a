import { DocumentRequestView, FileView } from '@cp/contracts';
import type { DocumentRequest } from '../repositories/document-request.repository';
import type { StoredFile } from '../repositories/file.schema';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);
const stamps = (r: { createdAt: Date; updatedAt: Date }) => ({
  createdAt: new Date(r.createdAt).toISOString(),
  updatedAt: new Date(r.updatedAt).toISOString(),
});

/** API shapes: no storage key, outbox or heartbeat. */
export const toFileView = (f: StoredFile): FileView => ({
  id: f._id,
  clientId: f.clientId,
  name: f.name,
  contentType: f.contentType,
  size: f.size,
  sha256: f.sha256 ?? '',
  sharedWith: f.sharedWith,
  uploadedBy: f.uploadedBy,
  uploaderKind: f.uploaderKind,
  requestId: f.requestId,
  ...stamps(f),
});

export const toDocumentRequestView = (r: DocumentRequest): DocumentRequestView => ({
  id: r._id,
  clientId: r.clientId,
  title: r.title,
  description: r.description,
  contactIds: r.contactIds,
  dueDate: iso(r.dueDate),
  status: r.status,
  fileIds: r.fileIds,
  fulfilledBy: r.fulfilledBy,
  fulfilledAt: iso(r.fulfilledAt),
  createdBy: r.createdBy,
  ...stamps(r),
});
