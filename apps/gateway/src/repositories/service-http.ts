import { HttpException, Injectable, Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cp/contracts';
import { CORRELATION_HEADER, currentCorrelationId, INTERNAL_TOKEN_HEADER, ProblemDocument } from '@cp/platform';
import { GatewayConfig } from '../config';
import { ServiceDirectory, ServiceName } from './service-directory';

export type QueryValue = string | number | boolean | undefined | null;

export interface ServiceCall {
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** For calls that do much work by design (a bulk of 1,000 invites). */
  timeoutMs?: number;
}

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
      ...call.headers,
    };
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    if (call.body !== undefined) headers['content-type'] = 'application/json';

    let status: number;
    let text: string;
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: AbortSignal.timeout(call.timeoutMs ?? TIMEOUT_MS),
      });
      status = res.status;
      text = await res.text();
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
