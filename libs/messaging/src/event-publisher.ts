import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { OutboxEvent } from '@cp/contracts';
import { currentTrace, endSpan, SpanKind, startSpan } from '@cp/platform';
import type { Kafka, Message, Producer } from 'kafkajs';
import { KAFKA_CLIENT } from './kafka-readiness';

export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

/** The Kafka message of an event: keyed for its partition, the JSON envelope, tracing headers. */
export function eventMessage(event: OutboxEvent, trace = event.trace): Message {
  return {
    key: event.key,
    value: JSON.stringify(event.envelope),
    headers: { 'x-correlation-id': event.envelope.correlationId, 'x-event-type': event.envelope.type, ...trace },
  };
}

/** Publishes events and waits for the broker's acknowledgement (acks=all). */
@Injectable()
export class EventPublisher implements OnApplicationShutdown {
  private readonly producer: Producer;
  private connected?: Promise<void>;

  constructor(@Inject(KAFKA_CLIENT) kafka: Kafka) {
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
  }

  async publish(event: OutboxEvent): Promise<void> {
    await this.publishAll([event]);
  }

  /**
   * Many events in one produce request. Events that share a topic and key keep their order
   * (same partition, listed in order); resolves once every one is acknowledged.
   */
  async publishAll(events: OutboxEvent[]): Promise<void> {
    if (events.length === 0) return;
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    await this.connected;
    const byTopic = new Map<string, Message[]>();
    // A traced event gets a producer span in the trace it was recorded in; the consumer continues it.
    const spans = events.map((event) =>
      event.trace ? startSpan(`publish ${event.topic}`, SpanKind.PRODUCER, event.trace, { topic: event.topic }) : null,
    );
    events.forEach((event, i) => {
      const messages = byTopic.get(event.topic) ?? [];
      const span = spans[i];
      messages.push(eventMessage(event, span ? currentTrace(span.ctx) : undefined));
      byTopic.set(event.topic, messages);
    });
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const span of spans) if (span) endSpan(span.span, error);
      throw error;
    }
    for (const span of spans) if (span) endSpan(span.span);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }
}
