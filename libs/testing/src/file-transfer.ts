import { createHash, randomBytes } from 'node:crypto';
import { IncomingHttpHeaders, request } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';

/** A file's bytes made up on the fly: any size at constant memory, with its SHA-256 once read. */
export class GeneratedFile {
  private readonly block: Buffer;
  private readonly hash = createHash('sha256');
  private digest?: string;
  /** How many bytes the stream has handed out so far. */
  sent = 0;

  constructor(
    readonly size: number,
    private readonly options: { chunkBytes?: number; delayMs?: number; head?: Buffer } = {},
  ) {
    this.block = randomBytes(options.chunkBytes ?? 64 * 1024);
  }

  /** The bytes; `delayMs` between chunks slows them down, to catch an upload halfway. */
  stream(): Readable {
    const { delayMs = 0, head } = this.options;
    let chunkIndex = 0;
    const next = (): Buffer | null => {
      if (this.sent >= this.size) {
        this.digest ??= this.hash.digest('hex');
        return null;
      }
      let chunk = Buffer.from(this.block);
      chunk.writeUInt32BE(chunkIndex++ >>> 0, 0); // no two chunks alike
      if (this.sent === 0 && head) chunk = Buffer.concat([head, chunk]);
      chunk = chunk.subarray(0, Math.min(chunk.length, this.size - this.sent));
      this.sent += chunk.length;
      this.hash.update(chunk);
      return chunk;
    };
    return new Readable({
      read() {
        if (delayMs > 0) setTimeout(() => this.push(next()), delayMs);
        else this.push(next());
      },
    });
  }

  /** Hex SHA-256 of everything streamed (after the stream ended). */
  get sha256(): string {
    if (!this.digest) throw new Error('the file has not been streamed to the end yet');
    return this.digest;
  }
}

export interface UploadPart {
  name: string;
  size: number;
  bytes: Readable;
  contentType?: string;
}

export interface TransferResult<T = Record<string, unknown>> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
}

/**
 * POSTs multipart/form-data the way a browser does, streaming the file part (fields first, with
 * Content-Length); `fieldsAfterFile` come after the file part, as `curl -F file=@x -F a=b` sends
 * them. Resolves with the answer as soon as it comes, even if the server refused the upload
 * before reading all of it; rejects only when no answer came at all.
 */
export function uploadMultipart<T = Record<string, unknown>>(
  url: string,
  options: {
    token?: string;
    fields?: Record<string, string>;
    fieldsAfterFile?: Record<string, string>;
    file: UploadPart;
    headers?: Record<string, string>;
  },
): Promise<TransferResult<T>> {
  const boundary = `----cp-test-${randomBytes(8).toString('hex')}`;
  const partsOf = (fields: Record<string, string> = {}) =>
    Object.entries(fields).map(
      ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
    );
  const fieldParts = partsOf(options.fields);
  const fileName = encodeURIComponent(options.file.name);
  const preamble = Buffer.from(
    `${fieldParts.join('')}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename*=utf-8''${fileName}\r\n` +
      `Content-Type: ${options.file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
  );
  const closing = Buffer.from(`\r\n${partsOf(options.fieldsAfterFile).join('')}--${boundary}--\r\n`);
  const headers: Record<string, string> = {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': String(preamble.length + options.file.size + closing.length),
    ...options.headers,
  };
  if (options.token) headers.authorization = `Bearer ${options.token}`;

  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      options.file.bytes.unpipe(req);
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parse<T>(chunks) }));
      res.on('error', reject);
    });
    // Once answered, a reset of the half-sent body is expected, not a failure.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.write(preamble);
    options.file.bytes.pipe(req, { end: false });
    options.file.bytes.on('end', () => {
      if (!answered) req.end(closing);
    });
  });
}

/** GETs a download, hashing it as it streams (never held in memory). */
export function downloadHashed(
  url: string,
  token?: string,
): Promise<{ status: number; headers: IncomingHttpHeaders; size: number; sha256: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    req.on('response', (res) => {
      const hash = createHash('sha256');
      let size = 0;
      let text = '';
      res.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
        if (text.length < 4096) text += c.toString();
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, size, sha256: hash.digest('hex'), text }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function parse<T>(chunks: Buffer[]): T {
  const text = Buffer.concat(chunks).toString();
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    return text as T;
  }
}

/** What a client writing an upload by hand saw (see sendUploadSlowly). */
export interface SlowUploadResult {
  /** Body bytes of the file written before the client stopped (all of them, unless cut off). */
  sent: number;
  writeError?: string;
  /** The server ended the connection before the client had sent everything. */
  endedEarly: boolean;
  /** What had arrived by the time the client wrote its last part. */
  receivedBeforeEnd: string;
  /** Everything that arrived, once the connection closed. */
  received: string;
}

/**
 * A multipart upload of `size` bytes written on a raw socket, 256 KiB every `pauseMs`, like a
 * client that keeps sending what it started whatever the server answers meanwhile: for tests that
 * a refusal is answered, and the body read, without a reset under the sender.
 */
export async function sendUploadSlowly(
  url: string,
  headers: Record<string, string>,
  size: number,
  pauseMs = 25,
): Promise<SlowUploadResult> {
  const target = new URL(url);
  const boundary = 'slow-upload-boundary';
  const preamble = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.bin"\r\n\r\n`;
  const closing = `\r\n--${boundary}--\r\n`;
  const socket = connect(Number(target.port), target.hostname);
  let received = '';
  let writeError: string | undefined;
  let ended = false;
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', (error) => (writeError = String(error)));
  socket.on('end', () => (ended = true));
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(
    `POST ${target.pathname} HTTP/1.1\r\nHost: ${target.host}\r\n${head}` +
      `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
      `Content-Length: ${preamble.length + size + closing.length}\r\n\r\n${preamble}`,
  );
  const chunk = Buffer.alloc(256 * 1024, 0x61);
  let sent = 0;
  for (; sent < size; sent += chunk.length) {
    if (writeError || socket.destroyed || ended) break;
    socket.write(chunk);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  const receivedBeforeEnd = received;
  const endedEarly = ended;
  socket.end(closing);
  await closed;
  return { sent, writeError, endedEarly, receivedBeforeEnd, received };
}
