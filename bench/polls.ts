/**
 * What a poll for due work costs with few and with many documents stored: the outbox relay's read
 * of pending events, the delivery worker's read of due emails (sorted, limited) and a conditional
 * update by `_id`, against collections of 100 and of 50,000 documents of which 10 are due.
 */
import { MongoClient } from 'mongodb';
import { performance } from 'node:perf_hooks';
import { percentile, round } from './support';

async function pollOnce(mongo: MongoClient, database: string, stored: number): Promise<number> {
  const docs = mongo.db(database).collection<{ _id: string; outboxPending: boolean; status: string }>(`d${stored}`);
  await docs.createIndex({ outboxPending: 1, outboxLeaseUntil: 1 });
  await docs.createIndex({ status: 1, nextAttemptAt: 1 });
  for (let i = 0; i < stored; i += 5000) {
    await docs.insertMany(
      Array.from({ length: Math.min(5000, stored - i) }, (_, k) => ({
        _id: `d${i + k}`,
        outboxPending: i + k < 10,
        outboxLeaseUntil: new Date(0),
        status: i + k < 10 ? 'queued' : 'sent',
        nextAttemptAt: new Date(),
        pendingEvents: [],
        pad: 'x'.repeat(800),
      })),
    );
  }
  const times: number[] = [];
  for (let round = 0; round < 21; round++) {
    const started = performance.now();
    const now = new Date();
    await docs
      .find({ outboxPending: true, outboxLeaseUntil: { $not: { $gt: now } } }, { projection: { _id: 1 }, limit: 200 })
      .toArray();
    await docs
      .find({ status: 'queued', nextAttemptAt: { $lte: now } })
      .sort({ nextAttemptAt: 1 })
      .limit(200)
      .toArray();
    await docs.updateOne({ _id: 'd5', outboxPending: true }, { $set: { status: 'queued' } });
    times.push(performance.now() - started);
  }
  return round(percentile(times, 50), 1);
}

/** p50 of one round of the three polls, with 100 and with 50,000 documents stored. */
export async function pollFlat(mongo: MongoClient, database: string) {
  const p50_100_ms = await pollOnce(mongo, database, 100);
  const p50_50k_ms = await pollOnce(mongo, database, 50_000);
  return { p50_100_ms, p50_50k_ms, ratio: round(p50_50k_ms / p50_100_ms) };
}
