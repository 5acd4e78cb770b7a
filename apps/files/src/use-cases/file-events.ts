import { createEvent, OutboxEvent, Topic } from '@cp/contracts';
import { currentCorrelationId } from '@cp/platform';
import { randomUUID } from 'node:crypto';
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
    correlationId: currentCorrelationId() ?? randomUUID(),
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

export function fileShared(file: FileFacts): OutboxEvent {
  return createEvent({
    topic: Topic.FileShared,
    firmId: file.firmId,
    correlationId: currentCorrelationId() ?? randomUUID(),
    key: file._id,
    data: { fileId: file._id, clientId: file.clientId, contactIds: file.sharedWith, name: file.name },
  });
}
