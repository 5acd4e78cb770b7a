/**
 * An example subscriber to the Client Portal's events, meant to be copied. It shows the rules of
 * asyncapi.yaml in code: validate the envelope, handle each event id once (delivery is
 * at-least-once), rely on order only per contact (the message key), and stop cleanly.
 *
 * Run from the repository root, while `npm start` runs:
 *   npx ts-node -r tsconfig-paths/register examples/subscriber/subscriber.ts
 */
import { EventEnvelope, isEnvelope, Topic } from '@cp/contracts';
import { Consumer, EachMessagePayload, Kafka, LogEntry, logLevel } from 'kafkajs';

const GROUP_ID = process.env.GROUP_ID ?? 'example-subscriber';
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
const TOPICS = [Topic.InviteSent, Topic.InviteAccepted, Topic.PortalLogin];

/** One JSON line per log entry, like the services. */
function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), msg, ...fields })}\n`);
}

/**
 * The ids of the events already handled, forgetting the oldest beyond `capacity`. This keeps the
 * example self-contained; production code keeps handled ids in its own database, written in the
 * same operation as the effect of the event, so a restart or a second instance does not redo it.
 */
class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.delete(id);
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next(); // a Set iterates in insertion order
      if (!oldest.done) this.ids.delete(oldest.value);
    }
  }
}

const handled = new RecentIds(10_000);

/** Your logic goes here. It must be safe to run again for the same event after a crash. */
async function handle(topic: string, key: string | null, event: EventEnvelope): Promise<void> {
  log('info', 'event', {
    topic,
    key,
    id: event.id,
    type: event.type,
    version: event.version,
    occurredAt: event.occurredAt,
    firmId: event.firmId,
    correlationId: event.correlationId,
    data: event.data,
  });
}

async function onMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
  const key = message.key?.toString() ?? null;
  let value: unknown;
  try {
    value = JSON.parse(message.value?.toString() ?? '');
  } catch {
    value = undefined;
  }
  if (!isEnvelope(value)) {
    // Skip what cannot be read rather than block the partition; a real service would park it.
    log('warn', 'not an event envelope; skipped', { topic, partition, offset: message.offset });
    return;
  }
  if (handled.has(value.id)) {
    log('info', 'duplicate delivery; skipped', { topic, id: value.id });
    return;
  }
  await handle(topic, key, value);
  handled.add(value.id); // only once handled: a crash before this line means the event comes again
}

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: GROUP_ID,
    brokers: BROKERS,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        log(level === logLevel.ERROR ? 'error' : 'warn', message, { component: 'kafkajs', ...rest });
      },
  });
  const consumer: Consumer = kafka.consumer({ groupId: GROUP_ID, allowAutoTopicCreation: false });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping', { signal });
    try {
      await consumer.disconnect(); // finishes the message in hand, commits offsets, leaves the group
      log('info', 'stopped');
      process.exit(0);
    } catch (error) {
      log('error', 'could not stop cleanly', { err: String(error) });
      process.exit(1);
    }
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    log('info', 'joined group', { groupId: payload.groupId, memberId: payload.memberId });
  });

  consumer.on(consumer.events.CRASH, ({ payload }) => {
    // kafkajs restarts the consumer after a retriable error; otherwise there is nothing left to do.
    log('error', 'consumer crashed', { err: String(payload.error), restart: payload.restart });
    if (!payload.restart) void stop('SIGTERM');
  });

  await consumer.connect();
  // fromBeginning applies only when the group has no committed offset yet (its first run).
  await consumer.subscribe({ topics: TOPICS, fromBeginning: true });
  await consumer.run({ eachMessage: onMessage });
  log('info', 'subscribed', { groupId: GROUP_ID, brokers: BROKERS, topics: TOPICS });
}

main().catch((error: unknown) => {
  log('error', 'subscriber failed', { err: String(error) });
  process.exit(1);
});
