import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import type { FileDownload } from '../use-cases/file-library.use-case';
import { contentDisposition } from '../use-cases/file-names';

/**
 * Streams a stored file with what a client needs to save and check it: its original name
 * (RFC 6266 `filename*`), its detected type, its length and its SHA-256 (RFC 9530 Repr-Digest,
 * and the hex form in X-Checksum-SHA256).
 */
/** True when every byte was handed to the connection. */
export async function sendFile(res: Response, { file, bytes }: FileDownload): Promise<boolean> {
  const sha256 = file.sha256 ?? '';
  res.status(200);
  res.setHeader('content-type', file.contentType);
  res.setHeader('content-length', String(file.size));
  res.setHeader('content-disposition', contentDisposition(file.name));
  res.setHeader('repr-digest', `sha-256=:${Buffer.from(sha256, 'hex').toString('base64')}:`);
  res.setHeader('x-checksum-sha256', sha256);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('cache-control', 'private, no-store');
  // A store that fails mid-stream can only cut the response short; the length tells the client.
  return pipeline(bytes, res).then(
    () => true,
    () => {
      res.destroy();
      return false;
    },
  );
}
