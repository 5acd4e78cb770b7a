import { Admin, Kafka } from 'kafkajs';
import { deadLetterTopic, Topic } from '@cp/contracts';

export const TOPIC_PARTITIONS = 3;

/** Creates every topic of the catalogue and its dead-letter twin; existing ones are left alone. */
export async function ensureTopics(kafka: Kafka, replicationFactor = 1): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = Object.values(Topic).flatMap((t) => [t, deadLetterTopic(t)]);
    const missing = wanted.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions: TOPIC_PARTITIONS, replicationFactor })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
