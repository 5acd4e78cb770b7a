import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ClientKafka } from '@nestjs/microservices';
import { DataServiceConfig } from '@cp/config';
import { Kafka } from 'kafkajs';
import { DeadLetters } from './dead-letters';
import { EVENT_HANDLING_OPTIONS, EventHandling } from './event-handling';
import { EventPublisher, KAFKA_PRODUCER } from './event-publisher';
import { consumerGroup, kafkaClientConfig } from './kafka-options';
import { EVENT_CONSUMER_OPTIONS, EventConsumer } from './event-consumer';
import { KAFKA_CLIENT, KAFKA_PROBE_CLIENT, kafkaProbeConfig } from './kafka-readiness';
import { OUTBOX_OPTIONS, OutboxRelay } from './outbox';
import { ensureTopics } from './topics-admin';

export interface MessagingOptions {
  service: string;
  config: DataServiceConfig;
  /** Mongoose model names that carry an outbox; their pending events are relayed to Kafka. */
  outboxModels: string[];
}

const CREATE_TOPICS = Symbol('CREATE_TOPICS');

/** Makes sure the topics exist, retrying in the background while Kafka is not reachable yet. */
@Injectable()
class TopicsProvisioner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Topics');
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    @Inject(CREATE_TOPICS) private readonly enabled: boolean,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) {
      this.logger.log('KAFKA_CREATE_TOPICS is off: the topics are expected to exist');
      return;
    }
    return this.attempt(1);
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  private async attempt(n: number): Promise<void> {
    try {
      await ensureTopics(this.kafka);
    } catch (error) {
      this.logger.warn({ attempt: n, err: String(error) }, 'could not ensure topics yet; retrying');
      this.timer = setTimeout(() => void this.attempt(n + 1), Math.min(30_000, 1000 * n));
    }
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    const clientConfig = kafkaClientConfig(options.config, options.service);
    return {
      module: MessagingModule,
      providers: [
        { provide: KAFKA_CLIENT, useFactory: () => new Kafka(clientConfig) },
        { provide: KAFKA_PROBE_CLIENT, useFactory: () => new Kafka(kafkaProbeConfig(clientConfig)) },
        { provide: 'KAFKA_BROKERS', useValue: options.config.KAFKA_BROKERS },
        { provide: CREATE_TOPICS, useValue: options.config.KAFKA_CREATE_TOPICS },
        {
          provide: KAFKA_PRODUCER,
          useFactory: () =>
            new ClientKafka({
              client: clientConfig,
              producerOnlyMode: true,
              producer: { allowAutoTopicCreation: false },
              send: { acks: -1 },
            }),
        },
        {
          provide: OUTBOX_OPTIONS,
          useValue: {
            models: options.outboxModels,
            pollMs: options.config.OUTBOX_POLL_MS,
            enabled: options.config.OUTBOX_RELAY_ENABLED,
          },
        },
        { provide: EVENT_HANDLING_OPTIONS, useValue: { consumer: options.service, attempts: 4, baseDelayMs: 200 } },
        { provide: EVENT_CONSUMER_OPTIONS, useValue: { groupId: consumerGroup(options.config, options.service) } },
        EventPublisher,
        DeadLetters,
        OutboxRelay,
        EventHandling,
        TopicsProvisioner,
        EventConsumer,
      ],
      exports: [
        KAFKA_CLIENT,
        KAFKA_PROBE_CLIENT,
        'KAFKA_BROKERS',
        EventPublisher,
        EventHandling,
        EventConsumer,
        DeadLetters,
        OutboxRelay,
      ],
    };
  }
}
