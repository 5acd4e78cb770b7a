import { PrivateMongoServer } from '@cp/testing';
import mongoose, { Connection } from 'mongoose';

// The local MongoDB-wire server (infra/mongo) acknowledges a write only once it is in the data
// file: killing the server right after (kill -9, no shutdown) loses no acknowledged write.
// A server of this test's own, so killing it disturbs nobody.
describe('local MongoDB-wire server durability', () => {
  const server = PrivateMongoServer.forTestStack();
  let connection: Connection | undefined;

  const connect = () =>
    mongoose
      .createConnection(server.url, { dbName: 'durability', serverSelectionTimeoutMS: 10_000, maxPoolSize: 20 })
      .asPromise();

  beforeAll(() => server.start(), 200_000);

  afterAll(async () => {
    await connection?.close(true);
    server.remove();
  }, 60_000);

  it('keeps every acknowledged insert, update and delete across kill -9 during a stream of writes', async () => {
    connection = await connect();
    const docs = connection.collection<{ _id: string; n?: number }>('docs');
    await docs.insertOne({ _id: 'counter', n: 0 });
    const toDelete = Array.from({ length: 200 }, (_, i) => ({ _id: `delete-${i}` }));
    await docs.insertMany(toDelete);

    const inserted: string[] = [];
    const deleted: string[] = [];
    let increments = 0;
    let attemptedIncrements = 0;
    let killed = false;
    // Eight writers, as the services' pools write; each records a write once it is acknowledged.
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        try {
          if (i % 3 === 0) {
            await docs.insertOne({ _id: `w${w}-${i}` });
            if (!killed) inserted.push(`w${w}-${i}`);
          } else if (i % 3 === 1) {
            attemptedIncrements++;
            await docs.findOneAndUpdate({ _id: 'counter' }, { $inc: { n: 1 } });
            if (!killed) increments++;
          } else {
            const id = `delete-${(i * 8 + w) % toDelete.length}`;
            const { deletedCount } = await docs.deleteOne({ _id: id });
            if (!killed && deletedCount === 1) deleted.push(id);
          }
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    // Kill it in the middle of the stream, once a good number of writes were acknowledged.
    while (inserted.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    server.kill();
    killed = true;
    await Promise.all(writers);
    await connection.close(true);

    server.start();
    connection = await connect();
    const after = connection.collection<{ _id: string; n?: number }>('docs');
    const present = new Set((await after.find({}, { projection: { _id: 1 } }).toArray()).map((d) => d._id));
    expect(inserted.filter((id) => !present.has(id))).toEqual([]);
    expect(deleted.filter((id) => present.has(id))).toEqual([]);
    const counter = await after.findOne({ _id: 'counter' });
    // Every acknowledged increment is there; one in flight at the kill may be there too.
    expect(counter?.n).toBeGreaterThanOrEqual(increments);
    expect(counter?.n).toBeLessThanOrEqual(attemptedIncrements);
    process.stdout.write(
      `killed after ${inserted.length} inserts, ${increments} increments, ${deleted.length} deletes acknowledged: all kept\n`,
    );
  }, 200_000);
});
