import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { OutboxEvent } from '@cp/contracts';
import type { Kafka, Message, Producer } from 'kafkajs';
import { KAFKA_CLIENT } from './kafka-readiness';

export const KAFKA_PRODUCER = Symbol('KAFKA_PRODUCER');

/** The Kafka message of an event: keyed for its partition, the JSON envelope, tracing headers. */
export function eventMessage(event: OutboxEvent): Message {
  return {
    key: event.key,
    value: JSON.stringify(event.envelope),
    headers: { 'x-correlation-id': event.envelope.correlationId, 'x-event-type': event.envelope.type },
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
    for (const event of events) {
      const messages = byTopic.get(event.topic) ?? [];
      messages.push(eventMessage(event));
      byTopic.set(event.topic, messages);
    }
    await this.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connected) await this.producer.disconnect().catch(() => undefined);
  }
}
