import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { CORRELATION_HEADER, currentCorrelationId } from './correlation';
import { redactUrl } from './http-route';

export { redactUrl };

/**
 * JSON logs, one line per event, each with the service name and the correlation id.
 * Credentials and tokens are redacted wherever they could appear.
 */
export function loggingModule(service: string, level: string) {
  return LoggerModule.forRoot({
    pinoHttp: {
      level,
      base: { service },
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
      genReqId: (req: IncomingMessage) => String(req.headers[CORRELATION_HEADER] ?? ''),
      // Paths can hold invite tokens (/v1/portal/invites/:token): log the route, not the URL.
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: {
        paths: [
          'password',
          'token',
          'refreshToken',
          'accessToken',
          '*.password',
          '*.token',
          '*.refreshToken',
          '*.accessToken',
        ],
        censor: '[redacted]',
      },
      autoLogging: { ignore: (req: IncomingMessage) => req.url === '/health' || req.url === '/ready' },
    },
  });
}
