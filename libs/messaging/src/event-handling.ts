import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { deadLetterTopic, EventEnvelope, isEnvelope, EVENT_TYPES, Topic } from '@cp/contracts';
import {
  currentTrace,
  endSpan,
  isDependencyUnreachable,
  runWithCorrelationId,
  SpanKind,
  startSpan,
  TraceCarrier,
} from '@cp/platform';
import { context } from '@opentelemetry/api';
import { Connection } from 'mongoose';
import { DeadLetters, MessageOrigin } from './dead-letters';
import { isDuplicateKey } from './mongo-errors';

export const EVENT_HANDLING_OPTIONS = Symbol('EVENT_HANDLING_OPTIONS');

export interface EventHandlingOptions {
  /** Names the inbox, so two consumers in one database keep separate records. */
  consumer: string;
  attempts: number;
  baseDelayMs: number;
}

export type EventHandler<T extends Topic> = (event: EventEnvelope<T>) => Promise<void>;
/** Handles many events of one topic with batched writes; must be as idempotent as the one-by-one handler. */
export type BatchEventHandler<T extends Topic> = (events: EventEnvelope<T>[]) => Promise<void>;

/** One consumed message: its parsed value and where it came from. */
export interface ConsumedMessage {
  value: unknown;
  origin: MessageOrigin;
  /** The producer's trace, from the message headers (traceparent), when it was traced. */
  trace?: TraceCarrier;
}

/** The trace of the handling of each event in hand (its consumer span), for work it leaves for later. */
const handlingTraces = new WeakMap<EventEnvelope, TraceCarrier>();

/**
 * Where the handling of this event is traced (when tracing is on): a handler that stores work to
 * do later (an email to send) keeps it, so that work continues the same trace.
 */
export function traceOfEvent(event: EventEnvelope): TraceCarrier | undefined {
  return handlingTraces.get(event);
}

/**
 * A batch handler made of a one-by-one handler: events of one key (an entity: the same contact,
 * the same invite) are handled in their order, different keys side by side, at most `concurrency`
 * at once. For handlers whose writes cannot be batched into one, so that a batch costs a few round
 * trips of latency instead of one per event. Throws (after all have run) if any event failed: the
 * batch is then handled one by one, which the idempotent handlers allow.
 */
export function concurrentlyByKey<T extends Topic>(
  one: EventHandler<T>,
  keyOf: (event: EventEnvelope<T>) => string,
  concurrency = 8,
): BatchEventHandler<T> {
  return async (events) => {
    const byKey = new Map<string, EventEnvelope<T>[]>();
    for (const event of events) byKey.set(keyOf(event), [...(byKey.get(keyOf(event)) ?? []), event]);
    const queues = [...byKey.values()];
    const failures: unknown[] = [];
    const worker = async () => {
      for (let queue = queues.shift(); queue; queue = queues.shift()) {
        try {
          for (const event of queue) await runWithCorrelationId(event.correlationId, async () => one(event));
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, worker));
    if (failures.length > 0) throw failures[0];
  };
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs event handlers so that one message never blocks its partition: envelopes are checked,
 * messages already handled are skipped (the inbox keeps handled event ids), failures are retried
 * a bounded number of times, and what still fails is parked on the dead-letter topic. A batch
 * costs one inbox read and one inbox write, whatever its size.
 */
@Injectable()
export class EventHandling {
  private readonly logger = new Logger(EventHandling.name);

  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly deadLetters: DeadLetters,
    @Inject(EVENT_HANDLING_OPTIONS) private readonly options: EventHandlingOptions,
  ) {}

  private get inbox() {
    return this.connection.collection<{ _id: string; topic: string; handledAt: Date }>(
      `inbox_${this.options.consumer}`,
    );
  }

  /**
   * Handles a batch of one topic's messages, in order. With a batch handler the new events are
   * handled together once; if that fails, each is handled on its own (with retries and the
   * dead-letter topic), so one bad event cannot hold back the rest.
   */
  async handleBatch<T extends Topic>(
    topic: T,
    messages: ConsumedMessage[],
    one: EventHandler<T>,
    batch?: BatchEventHandler<T>,
  ): Promise<void> {
    const events: { event: EventEnvelope<T>; message: ConsumedMessage }[] = [];
    for (const message of messages) {
      if (!isEnvelope(message.value) || message.value.type !== EVENT_TYPES[topic].type) {
        await this.deadLetters.park(topic, message.value, 'malformed envelope or wrong event type', message.origin);
      } else {
        events.push({ event: message.value as EventEnvelope<T>, message });
      }
    }
    if (events.length === 0) return;
    const handled = new Set(
      (
        await this.inbox.find({ _id: { $in: events.map((e) => e.event.id) } }, { projection: { _id: 1 } }).toArray()
      ).map((d) => d._id),
    );
    const fresh = events.filter(({ event }) => {
      if (handled.has(event.id)) return false;
      handled.add(event.id); // the same event twice in one batch: once
      return true;
    });
    if (fresh.length < events.length) {
      this.logger.debug({ topic, skipped: events.length - fresh.length }, 'events already handled; skipped');
    }
    if (fresh.length === 0) return;
    const spans = fresh.map(({ event, message }) => {
      if (!message.trace) return null;
      const span = startSpan(`process ${topic}`, SpanKind.CONSUMER, message.trace, { topic });
      const carrier = currentTrace(span.ctx);
      if (carrier) handlingTraces.set(event, carrier);
      return span;
    });
    try {
      let done = fresh;
      let together = false;
      if (batch) {
        try {
          await batch(fresh.map((f) => f.event));
          together = true;
        } catch (error) {
          this.logger.warn({ topic, events: fresh.length, err: String(error) }, 'batch handler failed; one by one');
        }
      }
      if (!together) {
        done = [];
        for (const [i, item] of fresh.entries()) {
          const handle = async () => this.handleOne(topic, item.event, item.message, one);
          const span = spans[i];
          if (await (span ? context.with(span.ctx, handle) : handle())) done.push(item);
        }
      }
      await this.recordHandled(
        topic,
        done.map((d) => d.event.id),
      );
    } finally {
      for (const span of spans) if (span) endSpan(span.span);
    }
  }

  /** One event with bounded retries; false when it was parked on the dead-letter topic. */
  private async handleOne<T extends Topic>(
    topic: T,
    event: EventEnvelope<T>,
    message: ConsumedMessage,
    handler: EventHandler<T>,
  ): Promise<boolean> {
    return runWithCorrelationId(event.correlationId, async () => {
      let lastError: unknown;
      for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
        try {
          await handler(event);
          return true;
        } catch (error) {
          lastError = error;
          this.logger.warn({ eventId: event.id, topic, attempt, err: String(error) }, 'event handler failed');
          if (attempt < this.options.attempts) {
            await sleep(this.options.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
          }
        }
      }
      // MongoDB (or another dependency) down is not a bad event: leave it unhandled and uncommitted,
      // so the consumer fetches it again once the dependency is back (found by test:faults).
      if (isDependencyUnreachable(lastError)) throw lastError;
      await this.deadLetters.park(
        topic,
        message.value,
        `handler failed ${this.options.attempts} times: ${String(lastError)}`,
        message.origin,
      );
      return false;
    });
  }

  private async recordHandled(topic: Topic, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const handledAt = new Date();
    try {
      await this.inbox.insertMany(
        ids.map((_id) => ({ _id, topic, handledAt })),
        { ordered: false },
      );
    } catch (error) {
      // Recorded already by a concurrent delivery of the same event: that is the point of the inbox.
      const writeErrors = (error as { writeErrors?: { code?: number } | { code?: number }[] }).writeErrors;
      const duplicates = writeErrors === undefined ? [] : ([] as { code?: number }[]).concat(writeErrors);
      if (!isDuplicateKey(error) && !(duplicates.length > 0 && duplicates.every((e) => e.code === 11000))) throw error;
    }
  }
}

export { deadLetterTopic };
