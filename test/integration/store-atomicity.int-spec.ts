import { ROOT } from '@cp/testing';
import mongoose, { Connection } from 'mongoose';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';

const MONGO_URL = process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017';

interface RaceDoc {
  _id: string;
  n: number;
  events: { id: string }[];
  last: Record<string, string>;
}

/**
 * One writer process, as a service replica is: `rounds` times, with `lanes` writes in flight,
 * it increments the counter, appends an event, and removes one of its own earlier events by
 * condition, each with its own single-document update of the one shared document.
 */
const WRITER = `
const mongoose = require('mongoose');
const [url, db, id, name, rounds, lanes] = process.argv.slice(1);
(async () => {
  const c = await mongoose.createConnection(url, { dbName: db, maxPoolSize: Number(lanes) }).asPromise();
  const docs = c.collection('race');
  await Promise.all(Array.from({ length: Number(lanes) }, async (_, lane) => {
    for (let i = 0; i < Number(rounds); i++) {
      const event = name + '-' + lane + '-' + i;
      await docs.findOneAndUpdate({ _id: id }, { $inc: { n: 1 }, $push: { events: { id: event } } });
      if (i % 2 === 1) {
        await docs.updateOne({ _id: id }, { $pull: { events: { id: { $in: [name + '-' + lane + '-' + (i - 1)] } } } });
      }
      await docs.updateOne({ _id: id }, { $set: { ['last.' + name]: event } });
    }
  }));
  await c.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

// The services rely on single-document updates being atomic: two replicas (or the outbox relay
// and a request) updating one document at once must not lose either change. No service
// serialises its own writes to a document; this proves the store does not need it.
describe('the store: concurrent updates of one document', () => {
  let connection: Connection;
  const dbName = `it_atomicity_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    connection = await mongoose.createConnection(MONGO_URL, { dbName }).asPromise();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('two processes racing $inc, $push, $pull and $set on one document lose no update', async () => {
    const id = randomUUID();
    const [rounds, lanes] = [60, 4];
    await connection.collection<RaceDoc>('race').insertOne({ _id: id, n: 0, events: [], last: {} });

    const run = (name: string) =>
      promisify(execFile)(
        process.execPath,
        ['-e', WRITER, MONGO_URL, dbName, id, name, String(rounds), String(lanes)],
        {
          cwd: ROOT,
          timeout: 150_000,
        },
      );
    await Promise.all([run('a'), run('b')]);

    const doc = await connection.collection<RaceDoc>('race').findOne({ _id: id });
    expect(doc?.n).toBe(2 * rounds * lanes);
    // Each lane removed every even-numbered event it appended; the odd-numbered ones remain.
    const expected = ['a', 'b'].flatMap((name) =>
      Array.from({ length: lanes }, (_, lane) =>
        Array.from({ length: rounds / 2 }, (__, k) => `${name}-${lane}-${2 * k + 1}`),
      ).flat(),
    );
    expect(doc?.events.map((e) => e.id).sort()).toEqual(expected.sort());
    expect(Object.keys(doc?.last ?? {}).sort()).toEqual(['a', 'b']);
  }, 180_000);
});
