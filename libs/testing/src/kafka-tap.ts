import { EventEnvelope, Topic } from '@cp/contracts';
import { ensureTopics } from '@cp/messaging';
import { Consumer, Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';

export interface TappedMessage {
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  value: EventEnvelope;
  raw: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads topics as an outside subscriber would, from the moment it is ready. Every message is
 * kept, duplicates included, so tests can count deliveries.
 */
export class KafkaTap {
  readonly messages: TappedMessage[] = [];
  private consumer?: Consumer;

  constructor(private readonly brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')) {}

  async start(topics: (Topic | string)[]): Promise<this> {
    const kafka = new Kafka({ clientId: 'test-tap', brokers: this.brokers, logLevel: logLevel.NOTHING });
    await ensureTopics(kafka); // a tap may start before any service has created the topics
    const consumer = kafka.consumer({ groupId: `test-tap-${randomUUID()}`, allowAutoTopicCreation: false });
    this.consumer = consumer;
    let joined = false;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      joined = true;
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const raw = message.value?.toString() ?? '';
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, Buffer.isBuffer(v) ? v.toString() : String(v)]),
        );
        this.messages.push({
          topic,
          key: message.key?.toString() ?? null,
          headers,
          value: JSON.parse(raw) as EventEnvelope,
          raw,
        });
      },
    });
    const deadline = Date.now() + 30_000;
    while (!joined) {
      if (Date.now() > deadline) throw new Error('test tap did not join its group');
      await sleep(50);
    }
    return this;
  }

  /** Waits until `count` messages match, then returns them. */
  async waitFor(predicate: (m: TappedMessage) => boolean, count = 1, timeoutMs = 30_000): Promise<TappedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.filter(predicate);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `expected ${count} matching messages within ${timeoutMs} ms, saw ${found.length} of ${this.messages.length}`,
        );
      }
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** An idempotent subscriber's view: each event id counted once, whatever was redelivered. */
export function distinctEvents(messages: TappedMessage[]): EventEnvelope[] {
  const seen = new Map<string, EventEnvelope>();
  for (const m of messages) if (!seen.has(m.value.id)) seen.set(m.value.id, m.value);
  return [...seen.values()];
}
