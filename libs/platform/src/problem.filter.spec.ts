import { ArgumentsHost, BadRequestException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cp/contracts';
import { ProblemFilter } from './problem.filter';
import { redactUrl } from './logging';

function capture(error: unknown) {
  const sent: { status?: number; type?: string; body?: Record<string, unknown>; headers: Record<string, string> } = {
    headers: {},
  };
  const res = {
    setHeader(name: string, value: string) {
      sent.headers[name.toLowerCase()] = value;
      return this;
    },
    status(code: number) {
      sent.status = code;
      return this;
    },
    type(t: string) {
      sent.type = t;
      return this;
    },
    send(body: string) {
      sent.body = JSON.parse(body) as Record<string, unknown>;
      return this;
    },
  };
  const host = {
    getType: () => 'http',
    switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', path: '/x' }) }),
  } as unknown as ArgumentsHost;
  new ProblemFilter().catch(error, host);
  return sent;
}

describe('ProblemFilter', () => {
  it('maps a domain error to its status and stable code, with extra members', () => {
    const sent = capture(new DomainError(ErrorCode.ContactEmailTaken, 'taken', { contactId: 'c1' }));
    expect(sent.status).toBe(409);
    expect(sent.type).toBe('application/problem+json');
    expect(sent.body).toMatchObject({
      status: 409,
      code: 'CONTACT_EMAIL_TAKEN',
      detail: 'taken',
      contactId: 'c1',
      title: 'Conflict',
    });
  });

  it('never leaks an unexpected error', () => {
    const sent = capture(new Error('password=hunter2 at db.ts:12'));
    expect(sent.status).toBe(500);
    expect(sent.body?.code).toBe('INTERNAL');
    expect(JSON.stringify(sent.body)).not.toContain('hunter2');
  });

  it('turns a failed health check into 503 naming the dependency', () => {
    const report = {
      status: 'error',
      details: {
        kafka: { status: 'down', message: 'kafka (b:9092) is unreachable: refused' },
        mongo: { status: 'up' },
      },
    };
    const sent = capture(new ServiceUnavailableException(report));
    expect(sent.status).toBe(503);
    expect(sent.body?.detail).toBe('Not ready: kafka (b:9092) is unreachable: refused');
  });

  it('answers 503 with Retry-After when a dependency cannot be reached (MongoDB, S3), not 500', () => {
    const mongo = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoNetworkError' });
    const s3 = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9000'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('upload failed', { cause: s3 });
    for (const error of [mongo, s3, wrapped]) {
      const sent = capture(error);
      expect(sent.status).toBe(503);
      expect(sent.body).toMatchObject({ code: ErrorCode.ServiceUnavailable });
      expect(sent.headers['retry-after']).toBe('2');
    }
    expect(capture(new Error('a bug')).status).toBe(500);
  });

  it('gives framework errors a code too', () => {
    expect(capture(new BadRequestException('bad json')).body?.code).toBe('VALIDATION_FAILED');
  });
});

describe('redactUrl', () => {
  it('hides invite tokens and query strings', () => {
    expect(redactUrl('/v1/portal/invites/abc.def-123?x=1')).toBe('/v1/portal/invites/[redacted]');
    expect(redactUrl('/v1/clients?search=ada')).toBe('/v1/clients');
  });
});
