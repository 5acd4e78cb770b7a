import { AccountKind, createEvent, OutboxEvent, Topic } from '@cp/contracts';
import { eventContext } from '@cp/platform';
import type { StoredFile } from '../repositories/file.schema';

type FileFacts = Pick<
  StoredFile,
  '_id' | 'firmId' | 'clientId' | 'name' | 'size' | 'sharedWith' | 'uploadedBy' | 'uploaderKind' | 'requestId'
>;

/**
 * Keys (asyncapi.yaml): a contact's upload is keyed by the contact id, as every contact fact is;
 * a staff upload and every share are facts about the file, keyed by the file id, so the shares
 * of one file are read in the order they happened.
 */
export function fileUploaded(file: FileFacts): OutboxEvent {
  return createEvent({
    topic: Topic.FileUploaded,
    firmId: file.firmId,
    ...eventContext(),
    key: file.uploaderKind === 'contact' ? file.uploadedBy : file._id,
    data: {
      fileId: file._id,
      clientId: file.clientId,
      uploadedBy: file.uploadedBy,
      uploaderKind: file.uploaderKind,
      name: file.name,
      size: file.size,
      requestId: file.requestId,
    },
  });
}

/** The new list, and what changed against `before` (the list until now; empty for a new file). */
export function fileShared(file: FileFacts, before: string[] = []): OutboxEvent {
  return createEvent({
    topic: Topic.FileShared,
    firmId: file.firmId,
    ...eventContext(),
    key: file._id,
    data: {
      fileId: file._id,
      clientId: file.clientId,
      contactIds: file.sharedWith,
      name: file.name,
      added: file.sharedWith.filter((c) => !before.includes(c)),
      removed: before.filter((c) => !file.sharedWith.includes(c)),
    },
  });
}

export function fileDownloaded(file: FileFacts, by: string, byKind: AccountKind): OutboxEvent {
  return createEvent({
    topic: Topic.FileDownloaded,
    firmId: file.firmId,
    ...eventContext(),
    key: file._id,
    data: { fileId: file._id, clientId: file.clientId, by, byKind },
  });
}

export function fileDeleted(file: FileFacts): OutboxEvent {
  return createEvent({
    topic: Topic.FileDeleted,
    firmId: file.firmId,
    ...eventContext(),
    key: file._id,
    data: { fileId: file._id, clientId: file.clientId, name: file.name },
  });
}

/** Keyed by the contact whose upload fulfilled it, like the FileUploaded it comes with. */
export function requestFulfilled(file: FileFacts): OutboxEvent[] {
  if (!file.requestId || file.uploaderKind !== 'contact') return [];
  return [
    createEvent({
      topic: Topic.DocumentRequestFulfilled,
      firmId: file.firmId,
      ...eventContext(),
      key: file.uploadedBy,
      data: { requestId: file.requestId, clientId: file.clientId, fileId: file._id, fulfilledBy: file.uploadedBy },
    }),
  ];
}
