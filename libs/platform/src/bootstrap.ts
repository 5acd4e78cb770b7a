import { DynamicModule, INestApplication } from '@nestjs/common';
import { BaseConfig, loadConfigOrExit } from '@cp/config';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory, Reflector } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { correlationMiddleware, edgeCorrelationMiddleware } from './correlation';
import { InternalTokenGuard } from './internal-token.guard';
import { countUnhandledRejections } from './process-faults';
import { ProblemFilter } from './problem.filter';
import { validationPipe } from './validation';

export interface ServiceBootOptions {
  module: Parameters<typeof NestFactory.create>[0];
  port: number;
  host?: string;
  /** Set for services behind the gateway; the gateway itself authenticates users instead. */
  internalToken?: string;
  /** Kafka consumer transport, when the service handles events. */
  microservice?: MicroserviceOptions;
  /** Extra wiring before listen (OpenAPI, rate limits, body limits). */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/** Starts an app the same way everywhere: JSON logs, correlation ids, problem+json, validation. */
export async function bootService(options: ServiceBootOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // Internal calls carry bigger bodies than clients may send: a bulk invite of 1,000 contacts,
  // with each contact's name and email, is about 200 KB (express's default limit is 100 KB).
  if (options.internalToken) app.useBodyParser('json', { limit: '2mb' });
  app.use(options.internalToken ? correlationMiddleware : edgeCorrelationMiddleware);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  if (options.internalToken) {
    app.useGlobalGuards(new InternalTokenGuard(app.get(Reflector), options.internalToken));
  }
  app.enableShutdownHooks();
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
  countUnhandledRejections(definition.service);
  bootService({
    module: definition.module(config),
    port: config.PORT,
    host: config.HOST,
    internalToken: definition.internal ? config.INTERNAL_API_TOKEN : undefined,
    microservice: definition.microservice?.(config),
    configure: definition.configure ? async (app) => definition.configure?.(app, config) : undefined,
  }).catch((error: unknown) => {
    process.stderr.write(
      `${JSON.stringify({ level: 'fatal', service: definition.service, msg: 'failed to start', err: String(error) })}\n`,
    );
    process.exit(1);
  });
}
