/** List latency (first page of a client's contacts) and single reads, through the gateway and around it. */
import { GatewayClient, internal } from '@cp/testing';
import { MongoClient } from 'mongodb';
import { performance } from 'node:perf_hooks';
import { interleaved, percentile, rate, round } from './support';

const SAMPLES = 50;
const PAGE = 50;

async function p50(call: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 3; i++) await call(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return round(percentile(times, 50), 1);
}

/** The first page of a client's contacts through the gateway (auth, the contacts service, the store). */
export function firstPageThroughGateway(staff: GatewayClient, clientId: string): Promise<number> {
  return p50(async () => {
    const res = await staff.get<{ items: unknown[] }>(`/v1/clients/${clientId}/contacts?limit=${PAGE}`);
    if (res.status !== 200 || res.body.items.length === 0) throw new Error(`list: ${res.status}`);
  });
}

/** The same query the contacts service makes, straight with the driver. */
export function firstPageWithDriver(mongo: MongoClient, database: string, firmId: string, clientId: string) {
  const contacts = mongo.db(database).collection('contacts');
  return p50(async () => {
    const items = await contacts
      .find({ firmId, clientIds: clientId }, { projection: { pendingEvents: 0 } })
      .sort({ createdAt: 1, _id: 1 })
      .limit(PAGE + 1)
      .toArray();
    if (items.length === 0) throw new Error('driver list: empty');
  });
}

/** GET one contact at the same concurrency: through the gateway, and straight to the contacts service. */
export async function gatewayVsDirect(
  staff: GatewayClient,
  contactsUrl: string,
  firmId: string,
  contactId: string,
): Promise<{ ours_rps: number; direct_rps: number }> {
  const total = 2000;
  const concurrency = 16;
  const viaGateway = async () => {
    const res = await staff.get(`/v1/contacts/${contactId}`);
    if (res.status !== 200) throw new Error(`gateway get: ${res.status}`);
  };
  const direct = async () => {
    const res = await internal('GET', `${contactsUrl}/firms/${firmId}/contacts/${contactId}`);
    if (res.status !== 200) throw new Error(`direct get: ${res.status}`);
  };
  await rate(100, concurrency, viaGateway);
  await rate(100, concurrency, direct);
  const rounds = 10;
  const perRound = total / rounds;
  const { oursSeconds, referenceSeconds } = await interleaved(
    rounds,
    async () => void (await rate(perRound, concurrency, viaGateway)),
    async () => void (await rate(perRound, concurrency, direct)),
  );
  const ours = total / oursSeconds;
  const straight = total / referenceSeconds;
  return { ours_rps: round(ours, 0), direct_rps: round(straight, 0) };
}
