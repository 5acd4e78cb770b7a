import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';

/**
 * Graceful shutdown, the same in every app. On SIGTERM (or SIGINT):
 *  1. /ready answers 503 at once (the Service stops routing here), the app keeps serving for
 *     `delayMs` so the endpoints catch up (Kubernetes removes a pod from them asynchronously);
 *  2. the HTTP server stops accepting; in-flight requests finish (answers carry `Connection:
 *     close` so callers do not reuse the socket); what is still running when the drain budget
 *     runs out (a long upload) is cut off, and its handler cleans up (aborts the multipart upload,
 *     removes the record);
 *  3. the app closes: consumers finish their batch and commit, polling jobs finish their pass,
 *     then the pools (Kafka, MongoDB, SMTP) close;
 *  4. the process exits 0, or 1 if the whole took longer than `graceMs` (below the pod's
 *     terminationGracePeriodSeconds, so the kubelet's SIGKILL never comes first).
 */
let shuttingDown = false;

/** True from the first SIGTERM on: the readiness probe answers 503. */
export function isShuttingDown(): boolean {
  return shuttingDown;
}

export interface ShutdownOptions {
  service: string;
  /** The whole budget from the signal to the exit. */
  graceMs: number;
  /** How long to keep serving, unready, before the server stops accepting. */
  delayMs: number;
  log: (fields: Record<string, unknown>, msg: string) => void;
}

/** Kept back from the grace period for the app's own hooks (consumers, jobs, pools) after the drain. */
const HOOKS_RESERVE_MS = 8000;
/** After cutting off requests, how long their handlers get to clean up before the app closes. */
const CLEANUP_MS = 1500;

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts requests in flight; while shutting down, tells callers to close the connection after this one. */
export function drainMiddleware(counter: { inFlight: number }) {
  return (_req: Request, res: Response, next: NextFunction) => {
    counter.inFlight++;
    res.once('close', () => counter.inFlight--);
    if (shuttingDown) res.setHeader('Connection', 'close');
    next();
  };
}

export function installGracefulShutdown(
  app: INestApplication,
  counter: { inFlight: number },
  options: ShutdownOptions,
): void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    // Detached on purpose: the signal handler cannot be async; every step is awaited inside.
    void shutDown(app, counter, options, signal);
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

async function shutDown(
  app: INestApplication,
  counter: { inFlight: number },
  { graceMs, delayMs, log, service }: ShutdownOptions,
  signal: NodeJS.Signals,
): Promise<void> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const force = setTimeout(() => {
    log({ service, ms: elapsed(), inFlight: counter.inFlight }, 'shutdown outlasted its grace period; exiting now');
    process.exit(1);
  }, graceMs);
  force.unref();
  log({ service, signal, graceMs, delayMs, inFlight: counter.inFlight }, 'shutting down: not ready');
  try {
    await sleep(Math.min(delayMs, graceMs / 2));
    const server = app.getHttpServer() as Server;
    server.close();
    server.closeIdleConnections();
    const drainUntil = started + Math.max(graceMs - HOOKS_RESERVE_MS, graceMs / 2);
    while (counter.inFlight > 0 && Date.now() < drainUntil) await sleep(50);
    if (counter.inFlight > 0) {
      log({ service, inFlight: counter.inFlight }, 'requests still running at the end of the drain: cutting them off');
      server.closeAllConnections();
      const cleanupUntil = Date.now() + CLEANUP_MS;
      while (counter.inFlight > 0 && Date.now() < cleanupUntil) await sleep(50);
    }
    const drainedMs = elapsed();
    await app.close();
    log({ service, ms: elapsed(), drainedMs, closeMs: elapsed() - drainedMs }, 'stopped');
    process.exit(0);
  } catch (error) {
    log({ service, err: String(error), ms: elapsed() }, 'shutdown failed');
    process.exit(1);
  }
}
