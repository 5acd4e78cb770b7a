import { Topic } from '@cp/contracts';
import { ensureTopics } from '@cp/messaging';
import { Kafka, KafkaJSError, logLevel } from 'kafkajs';

/**
 * Moves consumer groups to the end of every topic before their services start, so a test stack
 * handles the events its test publishes, not a backlog that other checkouts left on the shared
 * Kafka (their services publish to the same topics). Joins each group briefly and commits the
 * topics' ends (one commit per group; the admin API would take one slow call per topic).
 */
export async function skipTopicHistory(
  groupIds: string[],
  brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
): Promise<void> {
  if (groupIds.length === 0) return;
  // A broker that has just created the topics may not have elected their leaders yet.
  for (let attempt = 1; ; attempt++) {
    try {
      return await commitTopicEnds(groupIds, brokers);
    } catch (error) {
      if (attempt >= 10 || !(error instanceof KafkaJSError && error.retriable)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}

async function commitTopicEnds(groupIds: string[], brokers: string[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'test-history', brokers, logLevel: logLevel.NOTHING });
  await ensureTopics(kafka);
  const topics = Object.values(Topic);
  const admin = kafka.admin();
  await admin.connect();
  let ends: { topic: string; partition: number; offset: string }[];
  try {
    ends = (
      await Promise.all(
        topics.map(async (topic) =>
          (await admin.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, offset: p.high })),
        ),
      )
    ).flat();
  } finally {
    await admin.disconnect();
  }
  await Promise.all(
    groupIds.map(async (groupId) => {
      const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
      await consumer.connect();
      try {
        await consumer.subscribe({ topics, fromBeginning: false });
        const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
        // Reads nothing: the group only needs to exist with this member holding every partition.
        await consumer.run({ autoCommit: false, eachBatch: () => Promise.resolve() });
        await joined;
        consumer.pause(topics.map((topic) => ({ topic })));
        await consumer.commitOffsets(ends);
      } finally {
        await consumer.disconnect();
      }
    }),
  );
}

/**
 * Waits until a consumer group has read (and committed) everything the topic held when called:
 * an event published before the call has then been handled by the group's service. The topic
 * is shared with other stacks, so this may wait for their messages too (each one is quick).
 */
export async function waitUntilConsumed(
  groupId: string,
  topic: Topic,
  timeoutMs = 60_000,
  brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
): Promise<void> {
  const admin = new Kafka({ clientId: 'test-lag', brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const ends = new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const behind = committed.partitions.filter((p) => Number(p.offset) < (ends.get(p.partition) ?? 0));
      if (behind.length === 0) return;
      if (Date.now() > deadline) throw new Error(`${groupId} has not consumed ${topic} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
}
