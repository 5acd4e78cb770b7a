import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainError, ERROR_STATUS, ErrorCode } from '@cp/contracts';
import type { Request, Response } from 'express';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: ErrorCode.ValidationFailed,
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.Forbidden,
  404: ErrorCode.NotFound,
  409: ErrorCode.Conflict,
  413: ErrorCode.FileTooLarge,
  429: ErrorCode.RateLimited,
  503: ErrorCode.ServiceUnavailable,
};

/** Retry-After of every 503: long enough for another replica to take over or a restart to finish. */
export const RETRY_AFTER_SECONDS = '2';

export function problem(
  status: number,
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): ProblemDocument {
  return {
    type: `https://client-portal.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  };
}

/** The one place where errors become HTTP: problem+json with a stable code, never a stack. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const res = host.switchToHttp().getResponse<Response>();
    const req = host.switchToHttp().getRequest<Request>();
    const body = this.toProblem(error, req);
    if (body.status >= 500 && body.status !== 503) {
      this.logger.error(
        { err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : error },
        'request failed',
      );
    }
    // A dependency down or a service restarting: worth trying again shortly (RFC 9110, 10.2.3).
    if (body.status === 503) res.setHeader('Retry-After', RETRY_AFTER_SECONDS);
    res.status(body.status).type('application/problem+json').send(JSON.stringify(body));
  }

  private toProblem(error: unknown, req: Request): ProblemDocument {
    if (error instanceof DomainError) {
      return problem(ERROR_STATUS[error.code], error.code, error.message, error.extra);
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      if (isHealthReport(response)) return notReady(response);
      // A problem document relayed from a downstream service, or built by a guard, passes through.
      if (typeof response === 'object' && response !== null && 'code' in response && 'status' in response) {
        return response as ProblemDocument;
      }
      const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.Internal : ErrorCode.ValidationFailed);
      const detail =
        status === 404 && error.constructor.name === 'NotFoundException' && /^Cannot /.test(error.message)
          ? `No route ${req.method} ${req.path}`
          : error.message;
      return problem(status, code, detail);
    }
    // The body parser's own refusals (a body too large, malformed JSON) are the client's errors.
    const parserStatus = clientErrorStatus(error);
    if (parserStatus !== undefined) {
      // Not FILE_TOO_LARGE: that names a file past the firm's limit; this is a JSON body.
      const code =
        parserStatus === 413
          ? ErrorCode.ValidationFailed
          : (CODE_BY_STATUS[parserStatus] ?? ErrorCode.ValidationFailed);
      const detail =
        parserStatus === 413 ? 'The request body is larger than this route accepts.' : 'The request body is not valid.';
      return problem(parserStatus, code, detail);
    }
    // A dependency that cannot be reached (MongoDB, S3, Kafka restarting) is not a bug: try again.
    if (isDependencyUnreachable(error)) {
      this.logger.warn({ err: errorSummary(error) }, 'a dependency is unreachable');
      return problem(
        503,
        ErrorCode.ServiceUnavailable,
        'A service this request needs is unavailable; try again shortly.',
      );
    }
    return problem(500, ErrorCode.Internal, 'Something went wrong on our side. It has been logged.');
  }
}

/** Network errors of a socket to a dependency, and the MongoDB driver's "no server to talk to". */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);
const UNREACHABLE_MONGO =
  /^Mongo(ose)?(Network|NetworkTimeout|ServerSelection|NotConnected|PoolCleared|TopologyClosed)Error$/;

export function isDependencyUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const { name, code } = e as { name?: unknown; code?: unknown };
    if (typeof name === 'string' && UNREACHABLE_MONGO.test(name)) return true;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
    if (typeof name === 'string' && name.startsWith('KafkaJS') && /Connection|Retries|Timeout/.test(name)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

function errorSummary(error: unknown): { name?: string; message?: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : {};
}

/** The 4xx status of an error raised by the body parser (http-errors marks them `expose`). */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('expose' in error) || error.expose !== true) return undefined;
  const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
}

interface HealthReport {
  status: 'error' | 'ok' | 'shutting_down';
  details: Record<string, { status: string; message?: string }>;
}

function isHealthReport(value: unknown): value is HealthReport {
  return typeof value === 'object' && value !== null && 'details' in value && 'status' in value;
}

/** /ready answers 503 naming each dependency that is down, with the per-check details. */
function notReady(report: HealthReport): ProblemDocument {
  const down = Object.entries(report.details)
    .filter(([, d]) => d.status !== 'up')
    .map(([name, d]) => d.message ?? `${name} is down`);
  return problem(503, ErrorCode.ServiceUnavailable, `Not ready: ${down.join('; ')}`, { checks: report.details });
}
