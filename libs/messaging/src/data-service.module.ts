import { DynamicModule, Module, Type } from '@nestjs/common';
import { ModelDefinition, MongooseModule } from '@nestjs/mongoose';
import { DataServiceConfig } from '@cp/config';
import { HealthModule, loggingModule, MongoReadiness, ReadinessCheck } from '@cp/platform';
import { KafkaReadiness } from './kafka-readiness';
import { MessagingModule } from './messaging.module';

export interface DataServiceOptions {
  service: string;
  config: DataServiceConfig;
  models: ModelDefinition[];
  /** Model names whose documents carry an outbox. */
  outboxModels?: string[];
  /** Readiness checks beyond MongoDB and Kafka (object store, SMTP). */
  readiness?: Type<ReadinessCheck>[];
}

/**
 * What every service that owns data starts from: JSON logs, its own database, Kafka with the
 * outbox relay, and /health + /ready covering each dependency.
 */
@Module({})
export class DataServiceModule {
  static forRoot(options: DataServiceOptions): DynamicModule {
    const { service, config } = options;
    return {
      module: DataServiceModule,
      global: true,
      imports: [
        loggingModule(service, config.LOG_LEVEL),
        MongooseModule.forRoot(config.MONGO_URL, {
          dbName: `${config.STACK_PREFIX}${service}`,
          serverSelectionTimeoutMS: 5000,
        }),
        MongooseModule.forFeature(options.models),
        MessagingModule.forRoot({ service, config, outboxModels: options.outboxModels ?? [] }),
        HealthModule.forRoot([MongoReadiness, KafkaReadiness, ...(options.readiness ?? [])]),
      ],
      exports: [MongooseModule],
    };
  }
}
