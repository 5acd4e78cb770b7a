import { DynamicModule, INestApplication, Logger as NestLogger, Module } from '@nestjs/common';
import { BaseConfig, loadConfigOrExit } from '@cp/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory, Reflector } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { correlationMiddleware, edgeCorrelationMiddleware } from './correlation';
import { InternalTokenGuard } from './internal-token.guard';
import { collectProcessMetrics, httpMetricsMiddleware, TelemetryModule } from './metrics';
import { startTracing } from './tracing';
import { countUnhandledRejections } from './process-faults';
import { drainMiddleware, installGracefulShutdown } from './shutdown';
import { ProblemFilter } from './problem.filter';
import { validationPipe } from './validation';

export interface ServiceBootOptions {
  module: DynamicModule;
  port: number;
  host?: string;
  /** Set for services behind the gateway; the gateway itself authenticates users instead. */
  internalToken?: string;
  /** Kafka consumer transport, when the service handles events. */
  microservice?: MicroserviceOptions;
  /** Extra wiring before listen (OpenAPI, rate limits, body limits). */
  configure?: (app: INestApplication) => void | Promise<void>;
  /** SIGTERM handling (libs/platform/src/shutdown.ts); without it, Nest's default shutdown hooks. */
  shutdown?: { service: string; graceMs: number; delayMs: number };
}

/** The app's own module plus what every app has: GET /metrics, and traces flushed at shutdown. */
@Module({})
class ServiceRootModule {}

/**
 * Starts an app the same way everywhere: JSON logs, correlation ids, problem+json, validation,
 * Prometheus metrics.
 */
export async function bootService(options: ServiceBootOptions): Promise<INestApplication> {
  const root: DynamicModule = { module: ServiceRootModule, imports: [options.module, TelemetryModule] };
  const app = await NestFactory.create<NestExpressApplication>(root, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  collectProcessMetrics();
  app.use(httpMetricsMiddleware);
  // Internal calls carry bigger bodies than clients may send: a bulk invite of 1,000 contacts,
  // with each contact's name and email, is about 200 KB (express's default limit is 100 KB).
  if (options.internalToken) app.useBodyParser('json', { limit: '2mb' });
  const requests = { inFlight: 0 };
  if (options.shutdown) app.use(drainMiddleware(requests));
  app.use(options.internalToken ? correlationMiddleware : edgeCorrelationMiddleware);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  if (options.internalToken) {
    app.useGlobalGuards(new InternalTokenGuard(app.get(Reflector), options.internalToken));
  }
  if (options.shutdown) {
    const logger = new NestLogger('Shutdown');
    installGracefulShutdown(app, requests, { ...options.shutdown, log: (fields, msg) => logger.log(fields, msg) });
  } else {
    app.enableShutdownHooks();
  }
  if (options.configure) await options.configure(app);
  if (options.microservice) {
    app.connectMicroservice(options.microservice, { inheritAppConfig: true });
    // Bootstrap hooks first: they create the Kafka topics the consumer is about to subscribe to.
    await app.init();
    await app.startAllMicroservices();
  }
  await app.listen(options.port, options.host ?? '0.0.0.0');
  return app;
}

export interface ServiceDefinition<C extends BaseConfig> {
  service: string;
  schema: new () => C;
  module: (config: C) => DynamicModule;
  /** Services behind the gateway check the internal token; the gateway itself does not. */
  internal: boolean;
  microservice?: (config: C) => MicroserviceOptions;
  configure?: (app: INestApplication, config: C) => void | Promise<void>;
}

/** The whole of a service's main.ts: validate the environment (exit naming what is wrong), boot. */
export function runService<C extends BaseConfig>(definition: ServiceDefinition<C>): void {
  const config = loadConfigOrExit(definition.schema, definition.service);
  startTracing(definition.service, config);
  countUnhandledRejections(definition.service);
  bootService({
    module: definition.module(config),
    port: config.PORT,
    host: config.HOST,
    internalToken: definition.internal ? config.INTERNAL_API_TOKEN : undefined,
    microservice: definition.microservice?.(config),
    configure: definition.configure ? async (app) => definition.configure?.(app, config) : undefined,
    shutdown: { service: definition.service, graceMs: config.SHUTDOWN_GRACE_MS, delayMs: config.SHUTDOWN_DELAY_MS },
  }).catch((error: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', service: definition.service, msg: 'failed to start', err: String(error) })}\n`,
    );
    process.exit(1);
  });
}
