import { INestApplication } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { correlationMiddleware } from './correlation';
import { InternalTokenGuard } from './internal-token.guard';
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
  const app = await NestFactory.create(options.module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.use(correlationMiddleware);
  app.useGlobalFilters(new ProblemFilter());
  app.useGlobalPipes(validationPipe());
  if (options.internalToken) {
    app.useGlobalGuards(new InternalTokenGuard(app.get(Reflector), options.internalToken));
  }
  app.enableShutdownHooks();
  if (options.configure) await options.configure(app);
  if (options.microservice) {
    app.connectMicroservice(options.microservice, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(options.port, options.host ?? '0.0.0.0');
  return app;
}
