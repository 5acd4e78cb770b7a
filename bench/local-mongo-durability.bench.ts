/**
 * What each durability setting of the local MongoDB-wire server (infra/mongo) costs, and what it
 * keeps when the server is killed. Starts servers of its own on a spare port (TEST_PORT_BASE + 42);
 * never touches the shared one. Run:
 *   TEST_PORT_BASE=3290 npx ts-node --transpile-only -r tsconfig-paths/register bench/local-mongo-durability.bench.ts
 */
import { PrivateMongoServer, TEST_PORTS } from '@cp/testing';
import { MongoClient } from 'mongodb';
import { performance } from 'node:perf_hooks';

type Durability = 'none' | 'commit' | 'fsync';
interface Doc {
  _id: string;
  n?: number;
  pad?: string;
}
interface Run {
  msPerInsert: number;
  insertsPerSecond16: number;
  msPerIncrement: number;
  lastInsertsKept: number;
  incrementsKept: number;
}

const PAD = 'x'.repeat(500);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function once(durability: Durability): Promise<Run> {
  const server = new PrivateMongoServer(TEST_PORTS.gateway + 42, durability);
  server.start();
  try {
    let client = await MongoClient.connect(server.url, { maxPoolSize: 16 });
    const docs = client.db('bench').collection<Doc>('docs');
    await docs.insertOne({ _id: 'warm-up' });

    let t = performance.now();
    for (let i = 0; i < 1000; i++) await docs.insertOne({ _id: `s${i}`, pad: PAD });
    const msPerInsert = (performance.now() - t) / 1000;

    t = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = 0; i < 125; i++) await docs.insertOne({ _id: `c${w}-${i}`, pad: PAD });
      }),
    );
    const insertsPerSecond16 = 2000 / ((performance.now() - t) / 1000);

    await docs.insertOne({ _id: 'counter', n: 0 });
    t = performance.now();
    for (let i = 0; i < 1000; i++) await docs.findOneAndUpdate({ _id: 'counter' }, { $inc: { n: 1 } });
    const msPerIncrement = (performance.now() - t) / 1000;

    // 50 acknowledged inserts, then kill -9 at once.
    const last = Array.from({ length: 50 }, (_, i) => `k${i}`);
    for (const id of last) await docs.insertOne({ _id: id });
    server.kill();
    await client.close(true);

    server.start();
    client = await MongoClient.connect(server.url);
    const after = client.db('bench').collection<Doc>('docs');
    const lastInsertsKept = await after.countDocuments({ _id: { $in: last } });
    const incrementsKept = (await after.findOne({ _id: 'counter' }))?.n ?? 0;
    await client.close();
    return { msPerInsert, insertsPerSecond16, msPerIncrement, lastInsertsKept, incrementsKept };
  } finally {
    server.remove();
  }
}

async function main(): Promise<void> {
  const modes: Durability[] = ['none', 'commit', 'fsync'];
  const runs = new Map<Durability, Run[]>(modes.map((m) => [m, []]));
  // Interleaved, so a burst of other work on the machine hits every setting alike.
  for (let round = 0; round < 3; round++) for (const mode of modes) runs.get(mode)?.push(await once(mode));
  const rows = modes.map((mode) => {
    const r = runs.get(mode) ?? [];
    const pick = (f: (x: Run) => number) => r.map(f);
    return {
      durability: mode,
      'ms/insert, 1 client': median(pick((x) => x.msPerInsert)).toFixed(1),
      'inserts/s, 16 clients': Math.round(median(pick((x) => x.insertsPerSecond16))),
      'ms/$inc': median(pick((x) => x.msPerIncrement)).toFixed(1),
      'last 50 inserts kept': pick((x) => x.lastInsertsKept).join(' / '),
      '$inc kept of 1,000': pick((x) => x.incrementsKept).join(' / '),
    };
  });
  console.table(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
