import type { IncomingMessage, Server, ServerResponse } from 'node:http';

export interface DiscardLimits {
  /** Read and drop at most this much of what the client is still sending. */
  maxBytes: number;
  /** And for at most this long. */
  maxMs: number;
}

const DEFAULT_LIMITS: DiscardLimits = { maxBytes: 64 * 1024 * 1024, maxMs: 15_000 };

/**
 * After answering a request whose body was not read to the end (an upload refused halfway):
 * closes the connection once the answer is sent, and meanwhile reads and drops the rest of the
 * body for a bounded time. Closing at once with unread bytes would make the kernel reset the
 * connection, and the client could lose the answer it was about to read.
 */
export function discardRestOfBody(
  req: IncomingMessage,
  res: ServerResponse,
  limits: DiscardLimits = DEFAULT_LIMITS,
): void {
  if (!res.headersSent) res.setHeader('connection', 'close');
  if (req.complete || req.destroyed) return;
  let dropped = 0;
  const stop = () => {
    clearTimeout(timer);
    req.destroy();
  };
  const timer = setTimeout(stop, limits.maxMs);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limits.maxBytes) stop();
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
