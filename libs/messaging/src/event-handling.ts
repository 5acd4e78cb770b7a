import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { deadLetterTopic, EventEnvelope, isEnvelope, EVENT_TYPES, Topic } from '@cp/contracts';
import { runWithCorrelationId } from '@cp/platform';
import type { KafkaContext } from '@nestjs/microservices';
import { Connection } from 'mongoose';
import { DeadLetters } from './dead-letters';

export const EVENT_HANDLING_OPTIONS = Symbol('EVENT_HANDLING_OPTIONS');

export interface EventHandlingOptions {
  /** Names the inbox, so two consumers in one database keep separate records. */
  consumer: string;
  attempts: number;
  baseDelayMs: number;
}

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs an event handler so that one message never blocks its partition: the envelope is
 * checked, a message already handled is skipped (the inbox keeps handled event ids), failures
 * are retried a bounded number of times, and what still fails is parked on the dead-letter topic.
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

  async handle<T extends Topic>(
    topic: T,
    value: unknown,
    context: KafkaContext | undefined,
    handler: (event: EventEnvelope<T>) => Promise<void>,
  ): Promise<void> {
    if (!isEnvelope(value) || value.type !== EVENT_TYPES[topic].type) {
      await this.deadLetters.park(topic, value, 'malformed envelope or wrong event type', context);
      return;
    }
    const event = value as EventEnvelope<T>;
    await runWithCorrelationId(event.correlationId, async () => {
      if (await this.inbox.findOne({ _id: event.id })) {
        this.logger.debug({ eventId: event.id, topic }, 'event already handled; skipped');
        return;
      }
      let lastError: unknown;
      for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
        try {
          await handler(event);
          await this.inbox.updateOne(
            { _id: event.id },
            { $setOnInsert: { topic, handledAt: new Date() } },
            { upsert: true },
          );
          return;
        } catch (error) {
          lastError = error;
          this.logger.warn({ eventId: event.id, topic, attempt, err: String(error) }, 'event handler failed');
          if (attempt < this.options.attempts) {
            await sleep(this.options.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
          }
        }
      }
      await this.deadLetters.park(
        topic,
        value,
        `handler failed ${this.options.attempts} times: ${String(lastError)}`,
        context,
      );
    });
  }
}

export { deadLetterTopic };
