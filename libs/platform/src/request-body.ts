import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface DiscardOptions {
  /** Read and drop at most this much of what the client is still sending. */
  maxBytes?: number;
  /** And for at most this long. */
  maxMs?: number;
  /**
   * Answer with `connection: close` (the default): for a caller that ends its answer only once
   * the body is read (the gateway's endAfterRequest). A caller whose answer may be sent before
   * that (a service refusing an upload from its exception filter) keeps the connection: Node
   * closes a `connection: close` connection as soon as the answer is sent, and the peer, still
   * writing, then meets a reset that can cost it the answer (seen: the gateway reading a 413 of
   * the files service as a write EPIPE, answered 503).
   */
  closeConnection?: boolean;
}

const DEFAULT_LIMITS = { maxBytes: 64 * 1024 * 1024, maxMs: 15_000 };

/**
 * After answering a request whose body was not read to the end (an upload refused halfway):
 * reads and drops the rest of the body for a bounded time, so the connection is not closed under
 * a client that is still sending (the kernel would reset it, and the client could lose the
 * answer it was about to read); past the bounds the request is cut.
 */
export function discardRestOfBody(req: IncomingMessage, res: ServerResponse, options: DiscardOptions = {}): void {
  const { maxBytes, maxMs } = { ...DEFAULT_LIMITS, ...options };
  if (options.closeConnection !== false && !res.headersSent) res.setHeader('connection', 'close');
  if (req.complete || req.destroyed) return;
  let dropped = 0;
  const stop = () => {
    clearTimeout(timer);
    req.destroy();
  };
  const timer = setTimeout(stop, maxMs);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > maxBytes) stop();
  });
  req.on('end', () => clearTimeout(timer));
  req.on('error', () => clearTimeout(timer));
  req.resume();
}

/**
 * Node ends any request that takes more than five minutes by default; a multi-gigabyte upload on
 * a slow line takes longer. Idle connections are still ended by the socket timeouts.
 */
export function allowLongTransfers(app: { getHttpServer(): unknown }): void {
  (app.getHttpServer() as Server).requestTimeout = 0;
}
