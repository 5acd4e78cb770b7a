import { HttpException, Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cp/contracts';
import {
  actorHeaders,
  CORRELATION_HEADER,
  currentCorrelationId,
  discardRestOfBody,
  INTERNAL_TOKEN_HEADER,
  problem,
  ProblemDocument,
  RETRY_AFTER_SECONDS,
} from '@cp/platform';
import type { Request, Response } from 'express';
import { Agent as HttpAgent, request as httpRequest, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { GatewayConfig } from '../config';
import { ServiceDirectory, ServiceName } from './service-directory';

export type QueryValue = string | number | boolean | undefined | null;

/** Headers of the client's request that a streamed call passes on. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'content-length', 'transfer-encoding'];
/** Headers of the service's answer that reach the client. */
const FORWARDED_RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'content-disposition',
  'repr-digest',
  'x-checksum-sha256',
  'x-content-type-options',
  'cache-control',
  'connection',
];

export interface ServiceCall {
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** For calls that do much work by design (a bulk of 1,000 invites). */
  timeoutMs?: number;
}

/**
 * Connections to the services are kept open and reused (a pool per origin), for JSON and streamed
 * calls alike: without reuse each call would pay a TCP handshake. Plain node:http, not fetch: it
 * costs the gateway about half the CPU per call. An idle connection is dropped here after 4 s,
 * before the service's server closes it (Node's 5 s keep-alive timeout): reusing one the service is
 * closing resets the call, and an upload cannot be sent again.
 */
const KEEP_ALIVE = { keepAlive: true, keepAliveMsecs: 1000, maxSockets: 128, maxFreeSockets: 32, timeout: 4000 };
const agents = { http: new HttpAgent(KEEP_ALIVE), https: new HttpsAgent(KEEP_ALIVE) };

/** One request with a JSON (or no) body; answers the status and the whole answer as text. */
async function exchange(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const options = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
    const req =
      url.protocol === 'https:'
        ? httpsRequest(url, { ...options, agent: agents.https })
        : httpRequest(url, { ...options, agent: agents.http });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 502, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The request never reached a service: refused (a pod gone, a restart), or, for a method
      // that is safe to repeat, a kept-alive connection the service closed just as we reused it
      // (Node's documented keep-alive race). A write on a reset connection may have arrived.
      const idempotent = ['GET', 'HEAD', 'PUT', 'DELETE'].includes(method);
      const neverArrived =
        error.code === 'ECONNREFUSED' || (idempotent && req.reusedSocket && error.code === 'ECONNRESET');
      reject(neverArrived ? new NotDelivered(error) : error);
    });
    req.end(body);
  });
}

/** A call that certainly did not reach the service, so it is safe to send again, whatever its method. */
class NotDelivered extends Error {
  constructor(cause: Error) {
    super(cause.message, { cause });
  }
}

/** Tries a call that did not reach the service again: another replica, or the same one restarted. */
const REDELIVERY_DELAYS_MS = [0, 250, 1000];

/** Long enough for a password hash under load, short enough that a hung service frees the caller. */
const TIMEOUT_MS = 10_000;

/**
 * The gateway's one way of calling an internal service: JSON in and out, the internal token and
 * the caller's correlation id on every call. A service's problem+json answer is relayed as is, so
 * clients see the service's stable code; a service that cannot be reached reads as 503.
 */
@Injectable()
export class ServiceHttp {
  private readonly logger = new Logger(ServiceHttp.name);

  constructor(
    private readonly directory: ServiceDirectory,
    private readonly config: GatewayConfig,
  ) {}

  /** A call that answers a JSON document. */
  async json<T>(service: ServiceName, method: string, path: string, call: ServiceCall = {}): Promise<T> {
    const { status, text } = await this.send(service, method, path, call);
    try {
      return JSON.parse(text) as T;
    } catch {
      this.logger.error({ service, method, path, status }, 'service answered success without a JSON body');
      throw unavailable(service);
    }
  }

  /** A call that answers nothing (204). */
  async empty(service: ServiceName, method: string, path: string, call: ServiceCall = {}): Promise<void> {
    await this.send(service, method, path, call);
  }

  /**
   * A call whose bodies stream: the client's request body (an upload) is piped to the service as
   * it arrives, and the service's answer (a download, or a problem) is piped back. Nothing is
   * buffered here, and nothing is parsed: memory stays flat whatever the size.
   */
  async forward(
    service: ServiceName,
    method: string,
    path: string,
    req: Request,
    res: Response,
    extraHeaders: Record<string, string> = {},
  ): Promise<void> {
    const url = new URL(`${this.directory.urls[service].replace(/\/+$/, '')}${path}`);
    const headers: Record<string, string> = {
      [INTERNAL_TOKEN_HEADER]: this.config.INTERNAL_API_TOKEN,
      ...actorHeaders(),
      ...extraHeaders,
    };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    const withBody = method !== 'GET' && method !== 'HEAD';

    return new Promise<void>((resolve) => {
      const upstream =
        url.protocol === 'https:'
          ? httpsRequest(url, { method, headers, agent: agents.https })
          : httpRequest(url, { method, headers, agent: agents.http });
      let answered = false;

      const unreachable = (reason: string) => {
        this.logger.warn({ service, method, path, reason }, 'service unreachable');
        if (!res.headersSent) {
          const body = JSON.stringify(
            problem(503, ErrorCode.ServiceUnavailable, `The ${service} service is unavailable; try again shortly.`),
          );
          res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
          res.status(503).type('application/problem+json').setHeader('content-length', Buffer.byteLength(body));
          if (withBody && !req.complete) {
            // The client is still sending: the answer goes out now, the connection ends once the
            // rest is read (as for a refusal below), else the reset could beat the answer to it.
            req.unpipe(upstream);
            discardRestOfBody(req, res);
            res.write(body);
            endAfterRequest(req, res);
          } else {
            res.end(body);
          }
        } else {
          res.destroy();
        }
        resolve();
      };

      upstream.on('response', (answer: IncomingMessage) => {
        answered = true;
        const status = answer.statusCode ?? 502;
        res.status(status);
        for (const name of FORWARDED_RESPONSE_HEADERS) {
          const value = answer.headers[name];
          if (value !== undefined) res.setHeader(name, value);
        }
        // Refused before the whole upload arrived: drop the rest, then close. The answer ends only
        // once the rest is read (or dropped by the limits): closing with unread bytes makes the
        // kernel reset the connection, and the client could lose the answer it was about to read.
        if (withBody && !req.complete) {
          req.unpipe(upstream);
          discardRestOfBody(req, res);
          answer.pipe(res, { end: false });
          answer.on('end', () => endAfterRequest(req, res));
        } else {
          answer.pipe(res);
        }
        answer.on('error', () => res.destroy());
        res.on('close', () => {
          answer.destroy();
          upstream.destroy();
          resolve();
        });
      });
      upstream.on('error', (error: Error) => {
        if (!answered) unreachable(error.message);
      });
      // The client went away mid-upload or mid-download: the service learns it at once.
      req.on('close', () => {
        if (withBody && !req.complete) upstream.destroy();
      });
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      if (withBody) req.pipe(upstream);
      else upstream.end();
    });
  }

  private async send(
    service: ServiceName,
    method: string,
    path: string,
    call: ServiceCall,
  ): Promise<{ status: number; text: string }> {
    const url = `${this.directory.urls[service].replace(/\/+$/, '')}${path}${queryString(call.query)}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      [INTERNAL_TOKEN_HEADER]: this.config.INTERNAL_API_TOKEN,
      ...actorHeaders(),
      ...call.headers,
    };
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    try {
      const body = call.body === undefined ? undefined : JSON.stringify(call.body);
      if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
      ({ status, text } = await exchangeOrRedeliver(new URL(url), method, headers, body, call.timeoutMs ?? TIMEOUT_MS));
    } catch (error) {
      // The reason, not the URL's query: queries can hold search terms typed by users.
      const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : '';
      this.logger.warn({ service, method, path, reason }, 'service unreachable');
      throw unavailable(service);
    }
    if (status >= 200 && status < 300) return { status, text };

    const relayed = asProblem(text, status);
    if (relayed) throw new HttpException(relayed, status);
    this.logger.error({ service, method, path, status }, 'service failed without a problem document');
    throw unavailable(service);
  }
}

async function exchangeOrRedeliver(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await exchange(url, method, headers, body, timeoutMs);
    } catch (error) {
      if (!(error instanceof NotDelivered) || attempt >= REDELIVERY_DELAYS_MS.length) throw error;
      await new Promise((resolve) => setTimeout(resolve, REDELIVERY_DELAYS_MS[attempt]));
    }
  }
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.set(name, String(value));
  }
  const encoded = params.toString();
  return encoded ? `?${encoded}` : '';
}

/** A downstream answer we can pass on: problem+json whose status matches the response. */
function asProblem(text: string, status: number): ProblemDocument | null {
  try {
    const body = JSON.parse(text) as unknown;
    if (typeof body !== 'object' || body === null) return null;
    const candidate = body as Partial<ProblemDocument>;
    return typeof candidate.code === 'string' && candidate.status === status ? (body as ProblemDocument) : null;
  } catch {
    return null;
  }
}

function unavailable(service: ServiceName): DomainError {
  return new DomainError(ErrorCode.ServiceUnavailable, `The ${service} service is unavailable; try again shortly.`);
}

/** Ends the answer once the request's body has been read to its end or the request is gone. */
function endAfterRequest(req: IncomingMessage, res: Response): void {
  if (req.complete || req.destroyed) {
    res.end();
    return;
  }
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    res.end();
  };
  req.once('end', end);
  req.once('close', end);
}
