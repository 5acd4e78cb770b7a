// busboy ships no types: its declaration must join every app's program that uses this file.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./busboy.d.ts" />
import { DomainError, ErrorCode } from '@cp/contracts';
import busboy from 'busboy';
import type { Request, Response } from 'express';
import { AsyncResource } from 'node:async_hooks';
import type { Readable } from 'node:stream';
import { discardRestOfBody } from './request-body';

/** The file part of a multipart upload, with the form fields that came before it. */
export interface IncomingFile {
  fields: Record<string, string>;
  name: string;
  bytes: Readable;
  /** The form fields that came after the file part, once the whole body is read. */
  restOfForm?: () => Promise<Record<string, string>>;
}

const LIMITS = { files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12, headerPairs: 50 };

function invalid(message: string, field = 'file'): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, 'The upload form is not valid.', {
    errors: [{ field, message }],
  });
}

/**
 * Reads a multipart/form-data request as it arrives: the part named `file` goes to `handle` as
 * a stream (never buffered here) with the form fields that came before it; the fields that come
 * after it are handed over once the whole body is read (`restOfForm`), so a client may send the
 * parts in any order. When `handle` fails, the rest of the body is read and dropped (bounded)
 * while the answer goes out, on a connection that stays open for it.
 */
export async function receiveUpload<T>(
  req: Request,
  res: Response,
  handle: (file: IncomingFile) => Promise<T>,
): Promise<T> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(invalid('send multipart/form-data with the bytes in part "file"'));
  }
  // busboy calls back from the request stream's events, outside the request's async context: bound
  // here, the upload's events keep the request's correlation id and actor.
  const handleInContext = AsyncResource.bind(handle);
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: LIMITS, defParamCharset: 'utf8' });
    } catch {
      reject(invalid('the multipart boundary is missing'));
      return;
    }
    const fields: Record<string, string> = {};
    const lateFields: Record<string, string> = {};
    let current: Readable | undefined;
    let handled: Promise<T> | undefined;
    let settled = false;
    let formRead: (late: Record<string, string>) => void = () => undefined;
    let formBroken: (error: Error) => void = () => undefined;
    const restOfForm = new Promise<Record<string, string>>((resolve, rejectForm) => {
      formRead = resolve;
      formBroken = rejectForm;
    });
    // Awaited only by an upload that got as far as its last byte; never an unhandled rejection.
    restOfForm.catch(() => undefined);

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      current?.destroy();
      // The refusal is answered by the exception filter, maybe before the rest arrives.
      discardRestOfBody(req, res, { closeConnection: false });
      const reason = error instanceof Error ? error : new Error(String(error));
      formBroken(reason);
      reject(reason);
    };

    parser.on('field', (name, value) => {
      if (!handled) fields[name] = value;
      else if (name in lateFields || name in fields) fail(invalid(`field "${name}" is given twice`, name));
      else lateFields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || handled) {
        stream.resume();
        if (name !== 'file') fail(invalid(`unexpected file part "${name}"; the bytes go in part "file"`, name));
        return;
      }
      current = stream;
      handled = handleInContext({
        fields: { ...fields },
        name: info.filename ?? 'file',
        bytes: stream,
        restOfForm: async () => restOfForm,
      });
      handled.then(
        (result) => {
          if (!settled) {
            settled = true;
            resolve(result);
          }
        },
        (error: unknown) => fail(error),
      );
    });
    for (const limit of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) {
      parser.on(limit, () => fail(invalid('too many parts: one file and at most 10 fields')));
    }
    parser.on('error', () => fail(invalid('the multipart body is malformed')));
    parser.on('close', () => {
      if (!handled) fail(invalid('the file part is missing'));
      else formRead({ ...lateFields });
    });
    // A client (or the gateway) that goes away mid-upload: stop storing, discard what was kept.
    req.on('close', () => {
      if (req.complete) return;
      const cutOff = new Error('the upload was cut off');
      current?.destroy(cutOff);
      formBroken(cutOff);
    });
    req.pipe(parser);
  });
}
