import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EventEnvelope, Topic } from '@cp/contracts';
import { beforeScrape } from '@cp/platform';
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import { BatchEventHandler, ConsumedMessage, EventHandler, EventHandling } from './event-handling';
import { KAFKA_CLIENT } from './kafka-readiness';
import { consumerLag, deadLetterMessages, eventsConsumed, handlingDuration } from './metrics';

export const EVENT_CONSUMER_OPTIONS = Symbol('EVENT_CONSUMER_OPTIONS');

export interface EventConsumerOptions {
  groupId: string;
}

/** Messages handled between two offset commits and heartbeats (and checks for a shutdown). */
const CHUNK = 100;
/**
 * Partitions (of any subscribed topic) handled at once. Each batch waits mostly on database round
 * trips, so batches of other partitions go on meanwhile; a partition's own messages stay in order.
 */
const PARTITIONS_IN_PARALLEL = 4;

interface Route {
  one: EventHandler<Topic>;
  batch?: BatchEventHandler<Topic>;
}

/**
 * The service's Kafka consumer: handlers register per topic (in their onModuleInit), and each
 * fetched batch of a partition is handled as a batch (kafkajs eachBatch): one inbox read, the
 * handler's batched writes, one inbox write, then the offsets. Reads a new group's topics from the
 * beginning, so no event is missed. Starts in the background and retries while Kafka is down.
 */
@Injectable()
export class EventConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EventConsumer.name);
  private readonly routes = new Map<Topic, Route>();
  private consumer?: Consumer;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private stopLagMetric?: () => void;

  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly handling: EventHandling,
    @Inject(EVENT_CONSUMER_OPTIONS) private readonly options: EventConsumerOptions,
  ) {}

  /** Handles `topic` with `one`, or with `batch` for many events at once when given. */
  on<T extends Topic>(topic: T, one: EventHandler<T>, batch?: BatchEventHandler<T>): void {
    if (this.routes.has(topic)) throw new Error(`${topic} has a handler already`);
    this.routes.set(topic, { one, batch } as unknown as Route);
    // Present at 0 from the start, so the first parked message shows as an increase.
    deadLetterMessages.inc({ topic }, 0);
  }

  onApplicationBootstrap(): void {
    if (this.routes.size === 0) return;
    this.stopLagMetric = beforeScrape(async () => this.measureLag());
    this.start(1);
  }

  /**
   * The group's lag per topic, from Kafka: end offsets minus committed offsets (a partition with
   * no commit yet counts from its first offset). Read at scrape, so a stuck or stopped consumer
   * shows its lag growing, which a value kept by the consumer itself would not.
   */
  private async measureLag(): Promise<void> {
    const admin = this.kafka.admin({ retry: { retries: 0 } });
    await admin.connect();
    try {
      const topics = [...this.routes.keys()];
      const committed = await admin.fetchOffsets({ groupId: this.options.groupId, topics });
      for (const { topic, partitions } of committed) {
        const ends = await admin.fetchTopicOffsets(topic);
        let lag = 0;
        for (const end of ends) {
          const offset = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
          lag += Math.max(0, Number(end.high) - (offset >= 0 ? offset : Number(end.low)));
        }
        consumerLag.set({ topic }, lag);
      }
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /** Before the database connection closes: a batch under way finishes with the database still there. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopLagMetric?.();
    clearTimeout(this.timer);
    await this.consumer?.disconnect().catch(() => undefined);
  }

  private start(attempt: number): void {
    // Detached on purpose: the HTTP side serves (and /ready tells) while Kafka is not reachable yet.
    this.run().catch((error: unknown) => {
      this.logger.warn({ attempt, err: String(error) }, 'event consumer could not start; retrying');
      void this.consumer?.disconnect().catch(() => undefined);
      this.consumer = undefined;
      if (!this.stopped) this.timer = setTimeout(() => this.start(attempt + 1), Math.min(30_000, 1000 * attempt));
    });
  }

  private async run(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: false,
      // A crashed member is noticed after 10 s (not 30), so its partitions move on sooner.
      sessionTimeout: 10_000,
      rebalanceTimeout: 20_000,
      heartbeatInterval: 2_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart || this.stopped) return; // kafkajs restarts it itself
      this.logger.error({ err: String(payload.error) }, 'event consumer crashed; restarting');
      void consumer.disconnect().catch(() => undefined);
      this.timer = setTimeout(() => this.start(1), 1000);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.routes.keys()], fromBeginning: true });
    await consumer.run({
      partitionsConsumedConcurrently: PARTITIONS_IN_PARALLEL,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }) => {
        const route = this.routes.get(batch.topic as Topic);
        if (!route) return;
        for (let i = 0; i < batch.messages.length; i += CHUNK) {
          if (!isRunning() || isStale()) return;
          const chunk = batch.messages.slice(i, i + CHUNK);
          const endTimer = handlingDuration.startTimer({ topic: batch.topic });
          await this.handling.handleBatch(
            batch.topic as Topic,
            chunk.map((m) => consumed(m, batch.partition)),
            route.one,
            route.batch,
          );
          endTimer();
          eventsConsumed.inc({ topic: batch.topic }, chunk.length);
          resolveOffset(chunk[chunk.length - 1].offset);
          await commitOffsetsIfNecessary();
          await heartbeat();
        }
      },
    });
  }
}

function consumed(message: KafkaMessage, partition: number): ConsumedMessage {
  let value: unknown = null;
  try {
    value = message.value ? (JSON.parse(message.value.toString('utf8')) as EventEnvelope) : null;
  } catch {
    value = message.value?.toString('utf8') ?? null; // parked as malformed
  }
  const traceparent = message.headers?.traceparent?.toString();
  const tracestate = message.headers?.tracestate?.toString();
  return {
    value,
    origin: { key: message.key?.toString() ?? null, partition, offset: message.offset },
    trace: traceparent ? { traceparent, ...(tracestate ? { tracestate } : {}) } : undefined,
  };
}
