import { createEvent, OutboxEvent, Topic } from '@cp/contracts';
import { EventPublisher, OutboxRelay, outboxPlugin, withEvents, appendEvents } from '@cp/messaging';
import mongoose, { Connection, Schema } from 'mongoose';
import { randomUUID } from 'node:crypto';

// The relay against the real MongoDB-wire server, with a publisher we can make fail.
class RecordingPublisher {
  published: OutboxEvent[] = [];
  /** Fails after the broker got the message: the acknowledgement is lost. */
  loseAckFor = new Set<string>();

  async publish(event: OutboxEvent): Promise<void> {
    await this.publishAll([event]);
  }

  /** As the broker does: every message of the request is stored, then the acknowledgement can be lost. */
  async publishAll(events: OutboxEvent[]): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.published.push(...events);
    const lost = events.filter((e) => this.loseAckFor.delete(e.envelope.id));
    if (lost.length > 0) throw new Error('ack lost');
  }
}

const contactAdded = (firmId: string, contactId: string) =>
  createEvent({
    topic: Topic.ContactAdded,
    firmId,
    correlationId: 'test',
    key: contactId,
    data: { contactId, clientIds: [], firstName: 'A', lastName: 'B', email: null },
  });

describe('OutboxRelay', () => {
  let connection: Connection;
  const name = `RelayTest${randomUUID().slice(0, 8)}`;
  const schema = new Schema({ _id: String, firmId: String, note: String }, { versionKey: false });
  schema.plugin(outboxPlugin);

  beforeAll(async () => {
    connection = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: 'it_relay' })
      .asPromise();
    connection.model(name, schema);
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  function relay(publisher: RecordingPublisher) {
    return new OutboxRelay(connection, publisher as unknown as EventPublisher, {
      models: [name],
      pollMs: 50,
      enabled: false,
    });
  }

  it('publishes pending events in order and empties the outbox', async () => {
    const id = randomUUID();
    const events = [contactAdded('f', id), contactAdded('f', id)];
    await connection.model(name).create(withEvents({ _id: id, firmId: 'f' }, events));
    const publisher = new RecordingPublisher();
    await relay(publisher).drain();
    expect(publisher.published.map((e) => e.envelope.id)).toEqual(events.map((e) => e.envelope.id));
    const doc = await connection.model(name).findById(id).lean<{ pendingEvents: unknown[]; outboxPending: boolean }>();
    expect(doc?.pendingEvents).toEqual([]);
    expect(doc?.outboxPending).toBe(false);
    expect(await relay(publisher).drain()).toBe(0);
  });

  it('republishes with the same id when the acknowledgement was lost', async () => {
    const id = randomUUID();
    const event = contactAdded('f', id);
    await connection.model(name).create(withEvents({ _id: id, firmId: 'f' }, [event]));
    const publisher = new RecordingPublisher();
    publisher.loseAckFor.add(event.envelope.id);
    await relay(publisher).drain();
    await relay(publisher).drain();
    expect(publisher.published.map((e) => e.envelope.id)).toEqual([event.envelope.id, event.envelope.id]);
    expect(await relay(publisher).drain()).toBe(0);
  });

  it('keeps an event appended after the relay read the document', async () => {
    const id = randomUUID();
    await connection.model(name).create(withEvents({ _id: id, firmId: 'f' }, [contactAdded('f', id)]));
    const late = contactAdded('f', id);
    const publisher = new RecordingPublisher();
    const original = publisher.publishAll.bind(publisher);
    // While the first event is in flight, another write appends an event to the same document.
    publisher.publishAll = async (e) => {
      await original(e);
      if (publisher.published.length === 1) {
        await connection.model(name).updateOne({ _id: id }, appendEvents({ $set: { note: 'changed' } }, [late]));
      }
    };
    await relay(publisher).drain();
    await relay(publisher).drain();
    expect(publisher.published.map((e) => e.envelope.id)).toContain(late.envelope.id);
    const doc = await connection
      .model(name)
      .findById(id)
      .lean<{ pendingEvents: unknown[]; outboxPending: boolean; note: string }>();
    expect(doc).toMatchObject({ pendingEvents: [], outboxPending: false, note: 'changed' });
  });

  it("two relays on their own connections publish each of 120 documents' events exactly once", async () => {
    const firm = `race-${randomUUID()}`;
    const docs = Array.from({ length: 120 }, () => {
      const id = randomUUID();
      return withEvents({ _id: id, firmId: firm }, [contactAdded(firm, id), contactAdded(firm, id)]);
    });
    await connection.model(name).insertMany(docs);
    const second = await mongoose
      .createConnection(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { dbName: 'it_relay' })
      .asPromise();
    try {
      second.model(name, schema);
      const [a, b] = [new RecordingPublisher(), new RecordingPublisher()];
      const relayOn = (conn: Connection, publisher: RecordingPublisher) =>
        new OutboxRelay(conn, publisher as unknown as EventPublisher, {
          models: [name],
          pollMs: 50,
          enabled: false,
          batchSize: 20,
        });
      const [ra, rb] = [relayOn(connection, a), relayOn(second, b)];
      // Both drain at once until neither finds anything: they compete for the same documents.
      const drainAll = async (relay: OutboxRelay) => {
        for (let pass = 0; pass < 100 && (await relay.drain()) > 0; pass++);
      };
      await Promise.all([drainAll(ra), drainAll(rb), drainAll(ra), drainAll(rb)]);
      const ids = [...a.published, ...b.published].filter((e) => e.envelope.firmId === firm).map((e) => e.envelope.id);
      expect(ids).toHaveLength(240);
      expect(new Set(ids).size).toBe(240);
      expect(a.published.length).toBeGreaterThan(0);
      expect(b.published.length).toBeGreaterThan(0);
      // Each document's two events went out in order, from one relay.
      for (const doc of docs.slice(0, 20)) {
        const [first, next] = doc.pendingEvents.map((e) => e.envelope.id);
        const from = a.published.some((e) => e.envelope.id === first) ? a : b;
        const order = from.published.map((e) => e.envelope.id);
        expect(order.indexOf(next)).toBeGreaterThan(order.indexOf(first));
      }
      expect(await connection.model(name).countDocuments({ firmId: firm, outboxPending: true })).toBe(0);
    } finally {
      await second.close();
    }
  }, 120_000);
});
