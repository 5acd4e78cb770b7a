import { DomainError, ErrorCode } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { Readable } from 'node:stream';
import type { FilesConfig } from '../config';
import type { ContactDirectory } from '../repositories/contact-directory.repository';
import type { DocumentRequestRepository } from '../repositories/document-request.repository';
import type { FileRepository } from '../repositories/file.repository';
import type { StoredFile } from '../repositories/file.schema';
import type { FileSettingsRepository } from '../repositories/file-settings.repository';
import type { ObjectStore, ObjectWriter } from '../repositories/object-store.repository';
import type { SharingRules } from './sharing-rules';
import { parseContactIds, UploadFile } from './upload-file.use-case';

const scope = firmScope('firm-1');

/** `multipart`: the store starts a multipart upload at the first write (a file larger than a part). */
function harness(limit: number, { multipart = true } = {}) {
  const writes: Buffer[] = [];
  let beforeMultipart: (() => Promise<void>) | undefined;
  const writer: jest.Mocked<ObjectWriter> = {
    write: jest.fn(async (chunk: Buffer) => {
      if (multipart && writes.length === 0) await beforeMultipart?.();
      writes.push(chunk);
    }),
    finish: jest.fn(() => Promise.resolve()),
    abort: jest.fn(() => Promise.resolve()),
  };
  const files = {
    startUpload: jest.fn(() => Promise.resolve()),
    heartbeat: jest.fn(() => Promise.resolve()),
    completeUpload: jest.fn((_s: unknown, id: string, facts: Partial<StoredFile>, events: unknown[]) =>
      Promise.resolve({ _id: id, ...facts, pendingEvents: events } as StoredFile),
    ),
    discardUpload: jest.fn(() => Promise.resolve()),
    insertReady: jest.fn((_s: unknown, upload: Partial<StoredFile>, events: unknown[]) =>
      Promise.resolve({ ...upload, status: 'ready', pendingEvents: events } as StoredFile),
    ),
  };
  const store = {
    writer: jest.fn((_key: string, _type: () => string, hook?: () => Promise<void>) => {
      beforeMultipart = hook;
      return writer;
    }),
    remove: jest.fn(() => Promise.resolve()),
  };
  const directory = { assertClient: jest.fn(() => Promise.resolve()), standing: jest.fn() };
  const sharing = { assertCanReceive: jest.fn((_s: unknown, _c: string, ids: string[]) => Promise.resolve(ids)) };
  const settings = { find: jest.fn(() => Promise.resolve({ _id: 'firm-1', maxUploadBytes: limit })) };
  const upload = new UploadFile(
    files as unknown as FileRepository,
    {} as DocumentRequestRepository,
    settings as unknown as FileSettingsRepository,
    store as unknown as ObjectStore,
    directory as unknown as ContactDirectory,
    sharing as unknown as SharingRules,
    { MAX_UPLOAD_BYTES: 5 * 1024 ** 3, UPLOAD_STALE_SECONDS: 900 } as FilesConfig,
  );
  return { upload, files, store, writer, writes };
}

const chunks = (...sizes: number[]) => Readable.from(sizes.map((n) => Buffer.alloc(n, 0x61)));

describe('UploadFile', () => {
  it('records the upload first, streams the bytes, then completes it with size and SHA-256', async () => {
    const { upload, files, writer } = harness(1000);
    const stored = await upload.byStaff(scope, 'staff-1', 'client-1', {
      fields: { sharedWith: '["c1"]' },
      name: '../a.txt',
      bytes: chunks(3),
    });
    expect(files.startUpload).toHaveBeenCalledWith(
      scope,
      expect.objectContaining({ name: 'a.txt', sharedWith: ['c1'] }),
    );
    expect(writer.finish).toHaveBeenCalled();
    expect(stored).toMatchObject({
      size: 3,
      contentType: 'text/plain',
      sha256: '9834876dcfb05cb167a5c24953eba58c4ac89b1adf57f28f2f9d09af107ee8f0', // sha256("aaa")
    });
    const events = files.completeUpload.mock.calls[0][3] as { topic: string; key: string }[];
    expect(events.map((e) => e.topic)).toEqual(['file.uploaded', 'file.shared']);
  });

  it('stores a file of one part whole, then records it ready with its events in one write', async () => {
    const { upload, files, writer } = harness(1000, { multipart: false });
    const stored = await upload.byStaff(scope, 'staff-1', 'client-1', { fields: {}, name: 'a.txt', bytes: chunks(3) });
    expect(writer.finish).toHaveBeenCalled();
    expect(files.startUpload).not.toHaveBeenCalled();
    expect(files.completeUpload).not.toHaveBeenCalled();
    expect(files.insertReady).toHaveBeenCalledTimes(1);
    expect(stored).toMatchObject({ name: 'a.txt', size: 3, contentType: 'text/plain', status: 'ready' });
    const events = files.insertReady.mock.calls[0][2] as { topic: string }[];
    expect(events.map((e) => e.topic)).toEqual(['file.uploaded']);
  });

  it('stops past the limit with FILE_TOO_LARGE and keeps nothing: parts aborted, object and record removed', async () => {
    const { upload, files, store, writer } = harness(10);
    const attempt = upload.byStaff(scope, 'staff-1', 'client-1', { fields: {}, name: 'big', bytes: chunks(6, 6, 6) });
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.FileTooLarge });
    expect(writer.write).toHaveBeenCalledTimes(1); // the chunk that crossed the limit was never stored
    expect(writer.abort).toHaveBeenCalled();
    expect(store.remove).toHaveBeenCalled();
    expect(files.discardUpload).toHaveBeenCalled();
    expect(files.completeUpload).not.toHaveBeenCalled();
  });

  it('keeps nothing when the stream breaks halfway', async () => {
    const { upload, files, writer } = harness(1000);
    const broken = new Readable({ read() {} });
    broken.push(Buffer.from('abc'));
    setImmediate(() => broken.destroy(new Error('client went away')));
    await expect(upload.byStaff(scope, 's', 'c', { fields: {}, name: 'x', bytes: broken })).rejects.toThrow(
      'client went away',
    );
    expect(writer.abort).toHaveBeenCalled();
    expect(files.discardUpload).toHaveBeenCalled();
  });

  it('a one-part write that failed with the store gone leaves a stale record for the sweep', async () => {
    const { upload, files, store, writer } = harness(1000, { multipart: false });
    // The store died under the write (it may have kept the object) and cannot be asked to remove it.
    writer.finish.mockRejectedValueOnce(new Error('socket hang up'));
    store.remove.mockRejectedValueOnce(new Error('connect ECONNREFUSED'));
    await expect(upload.byStaff(scope, 's', 'c', { fields: {}, name: 'x.txt', bytes: chunks(3) })).rejects.toThrow(
      'socket hang up',
    );
    expect(files.insertReady).not.toHaveBeenCalled();
    expect(files.startUpload).toHaveBeenCalledWith(scope, expect.objectContaining({ name: 'x.txt' }));
  });

  it('a one-part write that failed leaves no record when the object could be removed', async () => {
    const { upload, files, writer } = harness(1000, { multipart: false });
    writer.finish.mockRejectedValueOnce(new Error('socket hang up'));
    await expect(upload.byStaff(scope, 's', 'c', { fields: {}, name: 'x', bytes: chunks(3) })).rejects.toThrow();
    expect(files.startUpload).not.toHaveBeenCalled();
  });

  it('refuses unknown form fields before storing anything', async () => {
    const { upload, files } = harness(1000);
    await expect(
      upload.byStaff(scope, 's', 'c', { fields: { requestId: 'r' }, name: 'x', bytes: chunks(1) }),
    ).rejects.toBeInstanceOf(DomainError);
    expect(files.startUpload).not.toHaveBeenCalled();
  });
});

describe('parseContactIds', () => {
  it('reads a JSON array, a bare id, or nothing', () => {
    expect(parseContactIds('["a","b"]')).toEqual(['a', 'b']);
    expect(parseContactIds('a-1')).toEqual(['a-1']);
    expect(parseContactIds(undefined)).toEqual([]);
    expect(parseContactIds('  ')).toEqual([]);
  });

  it.each(['[1]', '{"a":1}', '["a b"]', '[', 'a,b'])('refuses %p', (raw) => {
    expect(() => parseContactIds(raw)).toThrow(DomainError);
  });
});

describe('UploadFile and form fields after the file part', () => {
  it('applies sharedWith that came after the file part, with the same checks', async () => {
    const { upload, files, writer } = harness(1000);
    const stored = await upload.byStaff(scope, 's', 'c', {
      fields: {},
      name: 'x',
      bytes: chunks(3),
      restOfForm: () => Promise.resolve({ sharedWith: '["c1"]' }),
    });
    expect(writer.finish).toHaveBeenCalled();
    expect(files.completeUpload).toHaveBeenCalledWith(
      scope,
      stored._id,
      expect.objectContaining({ clientId: 'c', sharedWith: ['c1'], size: 3 }),
      [expect.objectContaining({ topic: 'file.uploaded' }), expect.objectContaining({ topic: 'file.shared' })],
    );
  });

  it.each([
    ['an unknown field', { color: 'red' }],
    ['a malformed sharedWith', { sharedWith: '[1]' }],
  ])('keeps nothing when %s came after the file part', async (_label, late) => {
    const { upload, files, store } = harness(1000);
    const attempt = upload.byStaff(scope, 's', 'c', {
      fields: {},
      name: 'x',
      bytes: chunks(3),
      restOfForm: () => Promise.resolve(late),
    });
    await expect(attempt).rejects.toMatchObject({ code: ErrorCode.ValidationFailed });
    expect(files.completeUpload).not.toHaveBeenCalled();
    expect(store.remove).toHaveBeenCalled();
    expect(files.discardUpload).toHaveBeenCalled();
  });
});
