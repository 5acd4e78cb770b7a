/**
 * What a service does with a promise rejection nobody handled: log it as one JSON line and count
 * it, and keep serving. Node's default ends the process, so one request that left a rejection
 * behind (a bug, but one request's) took every other request down with it. The count is in
 * /health; tests fail on the log line (libs/testing watches for it).
 */
export const UNHANDLED_REJECTION_MSG = 'unhandled rejection';

let unhandledRejections = 0;
let installed = false;

export function unhandledRejectionCount(): number {
  return unhandledRejections;
}

/** Installs the process-wide handler once (every service's boot calls it). */
export function countUnhandledRejections(service: string): void {
  if (installed) return;
  installed = true;
  process.on('unhandledRejection', (reason: unknown) => {
    unhandledRejections += 1;
    const err =
      reason instanceof Error
        ? { type: reason.name, message: reason.message, stack: reason.stack }
        : { type: typeof reason, message: String(reason) };
    process.stderr.write(
      `${JSON.stringify({
        level: 50,
        time: new Date().toISOString(),
        service,
        msg: UNHANDLED_REJECTION_MSG,
        unhandledRejections,
        err,
      })}\n`,
    );
  });
}
