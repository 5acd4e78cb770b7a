/**
 * Contacts list latency with 10,000 contacts in one client of one firm, through the contacts
 * service's HTTP API on the real MongoDB-wire server. Needs `npm run infra:up` and a build.
 * Run: npm run bench
 */
import { internal, seededContact, ServiceProcess, testStackEnv } from '@cp/testing';
import { MongoClient } from 'mongodb';
import { performance } from 'node:perf_hooks';

const CONTACTS = 10_000;
const SAMPLES = 20;
const PREFIX = 'bench_';
const FIRM = 'bench-firm';
const CLIENT = 'bench-client';

async function seed(mongoUrl: string): Promise<void> {
  const client = await MongoClient.connect(mongoUrl);
  try {
    const contacts = client.db(`${PREFIX}contacts`).collection('contacts');
    const have = await contacts.countDocuments({ firmId: FIRM });
    if (have >= CONTACTS) return;
    const base = Date.now() - CONTACTS * 1000;
    for (let i = have; i < CONTACTS; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, CONTACTS - i) }, (_, k) => {
        const n = i + k;
        return seededContact({
          firmId: FIRM,
          clientId: CLIENT,
          firstName: `First${n}`,
          lastName: `Last${n}`,
          email: `contact-${n}@bench.example`,
          at: new Date(base + n * 1000),
        });
      });
      await contacts.insertMany(batch as never[]);
    }
    await client
      .db(`${PREFIX}contacts`)
      .collection('clients')
      .updateOne(
        { _id: CLIENT as never },
        {
          $set: {
            firmId: FIRM,
            name: 'Bench',
            nameLower: 'bench',
            kind: 'business',
            createdAt: new Date(),
            updatedAt: new Date(),
          },
        },
        { upsert: true },
      );
  } finally {
    await client.close();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(label: string, url: string): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    const res = await internal('GET', url);
    if (res.status !== 200) throw new Error(`${label}: ${res.status} ${JSON.stringify(res.body)}`);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(36)} p50 ${percentile(times, 50).toFixed(1)} ms   p95 ${percentile(times, 95).toFixed(1)} ms   max ${times[times.length - 1].toFixed(1)} ms`,
  );
}

async function main(): Promise<void> {
  const env = testStackEnv({ STACK_PREFIX: PREFIX, PORT: '3199', LOG_LEVEL: 'warn' });
  const started = performance.now();
  await seed(env.MONGO_URL as string);
  console.log(
    `seeded ${CONTACTS} contacts in ${((performance.now() - started) / 1000).toFixed(1)} s (skipped when present)`,
  );
  const service = new ServiceProcess('contacts', env).start();
  try {
    await service.waitReady();
    const list = `${service.url}/firms/${FIRM}/clients/${CLIENT}/contacts`;
    await measure('first page, limit 50', `${list}?limit=50`);
    await measure('first page, limit 200', `${list}?limit=200`);
    const middle = await internal<{ nextCursor: string }>('GET', `${list}?limit=200`);
    let cursor = middle.body.nextCursor;
    for (let i = 0; i < 24; i++)
      cursor = (await internal<{ nextCursor: string }>('GET', `${list}?limit=200&cursor=${cursor}`)).body.nextCursor;
    await measure('page 26 (contacts 5,001-5,050)', `${list}?limit=50&cursor=${cursor}`);
    await measure(
      'one contact by id',
      `${service.url}/firms/${FIRM}/contacts/${(await internal<{ items: { id: string }[] }>('GET', `${list}?limit=1`)).body.items[0].id}`,
    );
  } finally {
    await service.stop();
  }
  console.log(
    'FerretDB v1 (SQLite) pushes down only _id equality: a list scans and sorts the whole collection in FerretDB, ' +
      'so list latency grows with every contact stored; a lookup by id does not. MongoDB serves the list from the ' +
      'index {firmId, clientIds, createdAt, _id} that the contacts schema declares.',
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
