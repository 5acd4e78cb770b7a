import { keyFromBase64, seal } from '@cp/auth';
import { createEvent, InviteEmailRequestedData, OutboxEvent, Topic } from '@cp/contracts';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

/**
 * Publishes events as another service would (the EventPublisher's key and JSON envelope), so a
 * test can feed a service events in any order, duplicated, or from services not built yet.
 */
export class TestPublisher {
  private readonly producer: Producer;

  constructor(brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')) {
    this.producer = new Kafka({ clientId: 'test-publisher', brokers, logLevel: logLevel.NOTHING }).producer();
  }

  async connect(): Promise<this> {
    await this.producer.connect();
    return this;
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }

  /** Sends the events in order, each `times` times (a redelivery has the same event id). */
  async publish(events: OutboxEvent[], times = 1): Promise<void> {
    for (const event of events) {
      await this.producer.send({
        topic: event.topic,
        messages: Array.from({ length: times }, () => ({ key: event.key, value: JSON.stringify(event.envelope) })),
      });
    }
  }

  /** Many events of one topic in one request per 100, for bursts. */
  async publishBatch(topic: Topic, events: OutboxEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 100) {
      await this.producer.send({
        topic,
        messages: events.slice(i, i + 100).map((e) => ({ key: e.key, value: JSON.stringify(e.envelope) })),
      });
    }
  }
}

/**
 * The invites service's "email this invite" command for a new contact and invite, its link
 * sealed with the test stack's key. Fields can be overridden.
 */
export function inviteEmailRequest(
  firmId: string,
  linkKey: string,
  data: Partial<InviteEmailRequestedData> & { to: string },
): OutboxEvent<Topic.InviteEmailRequested> {
  const inviteId = data.inviteId ?? randomUUID();
  const contactId = data.contactId ?? randomUUID();
  return createEvent({
    topic: Topic.InviteEmailRequested,
    firmId,
    correlationId: `it-${randomUUID()}`,
    key: contactId,
    data: {
      inviteId,
      contactId,
      sendNumber: 1,
      contactFirstName: 'Ada',
      contactLastName: 'Lovelace',
      firmName: 'Delivery Firm',
      inviterName: 'Staff',
      message: null,
      templateId: null,
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      sealedLink: seal(keyFromBase64(linkKey), `http://portal.test/invite/${inviteId}.secret`),
      ...data,
    },
  });
}
