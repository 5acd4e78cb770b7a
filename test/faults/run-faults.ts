/**
 * `npm run test:faults`: kill anything mid-work, lose nothing. Against private copies of every
 * local server (test/faults/private-servers.ts) and one stack of the five services:
 *  - SIGKILL each service in turn during a bulk invite of FAULTS_CONTACTS (1,000) contacts;
 *  - stop and restart each server (Kafka, the MongoDB-wire server, MinIO, SMTP) during the same
 *    bulk and a series of uploads.
 * After each fault the client does what a client would (invites whoever has no invite yet), then
 * every contact must have exactly one invite and one email (a second copy only with the same
 * Message-ID, the documented crash window), every contact shows `invited`, no dead letter, no
 * orphaned object or record; while a server is down the services that need it answer /ready 503,
 * and they recover by themselves. Prints the table and writes it to test/faults/last-result.md.
 * FAULTS_ONLY=notifications,kafka runs a subset. Exit code 1 when any row fails.
 */
import { deadLetterTopic, Topic } from '@cp/contracts';
import { ensureTopics } from '@cp/messaging';
import {
  AppName,
  GatewayClient,
  GatewayTestStack,
  GeneratedFile,
  KafkaTap,
  Mailbox,
  randomClientAddress,
  seedContacts,
  takeServiceFaults,
  TEST_PORTS,
  testStackEnv,
  uploadMultipart,
} from '@cp/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client as MinioClient } from 'minio';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { PrivateServers, ServerName } from './private-servers';

const CONTACTS = Number(process.env.FAULTS_CONTACTS ?? 1000);
const ONLY = new Set((process.env.FAULTS_ONLY ?? '').split(',').filter(Boolean));
const CONVERGE_MS = Number(process.env.FAULTS_CONVERGE_MS ?? 6 * 60_000);
const SERVER_DOWN_MS = 8000;
const BUCKET = 'client-portal-test';
const APPS: AppName[] = ['contacts', 'invites', 'notifications', 'files', 'gateway'];
/** Which services need each server (and must say so on /ready while it is down). */
const DEPENDENTS: Record<ServerName, AppName[]> = {
  kafka: ['contacts', 'invites', 'notifications', 'files'],
  mongo: ['contacts', 'invites', 'notifications', 'files'],
  minio: ['files'],
  smtp: ['notifications'],
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (msg: string) => process.stdout.write(`[faults ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

interface Fault {
  name: string;
  kind: 'service' | 'server';
  target: AppName | ServerName;
  uploads: boolean;
}

const FAULTS: Fault[] = [
  ...APPS.map((app): Fault => ({ name: `SIGKILL ${app}`, kind: 'service', target: app, uploads: app === 'files' })),
  ...(['kafka', 'mongo', 'minio', 'smtp'] as ServerName[]).map((server): Fault => ({
    name: `restart ${server}`,
    kind: 'server',
    target: server,
    uploads: true,
  })),
].filter((f) => ONLY.size === 0 || ONLY.has(f.target));

interface Row {
  fault: string;
  invites: string;
  emails: string;
  duplicates: string;
  orphans: string;
  deadLetters: number;
  unready: string;
  recoverS: string;
  uploads: string;
  ok: boolean;
  notes: string[];
}

const servers = new PrivateServers(TEST_PORTS.gateway + 50);
const env = testStackEnv({
  ...servers.addresses,
  S3_BUCKET: BUCKET,
  RATE_LIMIT_PER_MINUTE: '100000',
  // The run's one staff session lasts the whole run (≈ 30 min; the default is 15).
  ACCESS_TOKEN_TTL_SECONDS: '3600',
  // Orphans of a killed upload are swept 10 s after their last heartbeat (a pass every 2.5 s).
  UPLOAD_STALE_SECONDS: '10',
  OUTBOX_POLL_MS: '500',
  SHUTDOWN_GRACE_MS: '10000',
});
const stack = new GatewayTestStack(env);
const mailbox = new Mailbox(servers.mailApi);
const runId = randomBytes(3).toString('hex');
let staff: GatewayClient;
let firmId: string;

async function until(what: string, done: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await done()) return true;
    } catch {
      // a service still recovering: ask again
    }
    if (Date.now() > deadline) {
      log(`gave up waiting for ${what}`);
      return false;
    }
    await sleep(1000);
  }
}

async function allReady(apps: AppName[] = APPS): Promise<boolean> {
  const answers = await Promise.all(
    apps.map(async (app) =>
      fetch(`${stack.url(app)}/ready`, { signal: AbortSignal.timeout(3000) }).then(
        (r) => r.ok,
        () => false,
      ),
    ),
  );
  return answers.every(Boolean);
}

/** Every page of a list route. */
async function listAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null | undefined;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await staff.get<{ items: T[]; nextCursor: string | null }>(
      `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

/** What a client does after an interrupted bulk: invite, once, every contact that has no invite yet. */
async function inviteTheRest(clientId: string, contactIds: string[]): Promise<void> {
  await until(
    'every contact invited',
    async () => {
      const invites = await listAll<{ contactId: string }>(`/v1/invites?clientId=${clientId}`);
      const have = new Set(invites.map((i) => i.contactId));
      const missing = contactIds.filter((id) => !have.has(id));
      if (missing.length === 0) return true;
      log(`  inviting the ${missing.length} contacts with no invite yet`);
      await staff.post(`/v1/clients/${clientId}/invites`, { contactIds: missing });
      return false;
    },
    180_000,
  );
}

/** A series of uploads (small ones in one write, larger ones in 8 MiB parts); answers their statuses. */
async function uploadSeries(clientId: string, stop: () => boolean, noAnswer: string[]): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < 40 && !stop(); i++) {
    const size = i % 4 === 3 ? 9 * 1024 * 1024 : 256 * 1024;
    const file = new GeneratedFile(size, { delayMs: 2 });
    const answer = await uploadMultipart(`${stack.url('gateway')}/v1/clients/${clientId}/files`, {
      token: staff.token,
      file: { name: `series-${i}.bin`, size, bytes: file.stream() },
    }).catch((error: unknown) => {
      noAnswer.push(`${i}: ${String(error).slice(0, 80)}`);
      return { status: 0 };
    });
    statuses.push(answer.status);
    if (answer.status !== 201) await sleep(500);
  }
  return statuses;
}

/** Objects with no ready record, and records not ready, once the sweep had its chance. */
async function orphansOf(mongo: MongoClient, minio: MinioClient): Promise<{ objects: number; records: number }> {
  const files = mongo
    .db(`${env.STACK_PREFIX}files`)
    .collection<{ _id: string; status: string; objectKey: string }>('files');
  await until('the sweep', async () => (await files.countDocuments({ firmId, status: 'uploading' })) === 0, 60_000);
  const ready = new Set((await files.find({ firmId, status: 'ready' }).toArray()).map((f) => f.objectKey));
  let objects = 0;
  for await (const item of minio.listObjects(BUCKET, `firms/${firmId}/files/`, true))
    if (!ready.has(String(item.name))) objects++;
  const records = await files.countDocuments({ firmId, status: { $ne: 'ready' } });
  return { objects, records };
}

async function runFault(fault: Fault, deadLetters: KafkaTap, mongo: MongoClient, minio: MinioClient): Promise<Row> {
  const notes: string[] = [];
  const label = fault.target;
  const domain = `${label}-${runId}.faults.example`;
  const clientId = (await staff.post<{ id: string }>('/v1/clients', { name: `Faults ${label}`, kind: 'business' })).body
    .id;
  const contacts = await seedContacts(env.MONGO_URL ?? '', `${env.STACK_PREFIX}contacts`, {
    firmId,
    clientId,
    count: CONTACTS,
    label,
    domain,
  });
  const ids = contacts.map((c) => c.id);
  const deadBefore = deadLetters.messages.length;
  const emailsSoFar = async () => (await mailbox.search(`to:"@${domain}"`)).length;

  log(`${fault.name}: bulk of ${CONTACTS}${fault.uploads ? ' and a series of uploads' : ''}`);
  let uploadsDone = false;
  const noAnswer: string[] = [];
  const uploads = fault.uploads ? uploadSeries(clientId, () => uploadsDone, noAnswer) : Promise.resolve([]);
  const bulk = staff.post(`/v1/clients/${clientId}/invites`, { contactIds: ids }).then(
    (r) => String(r.status),
    (e: unknown) => `no answer (${String(e).slice(0, 60)})`,
  );

  let recoverMs = 0;
  let unready = '–';
  if (fault.kind === 'service') {
    const app = fault.target as AppName;
    // The gateway and invites die inside the bulk request; the others while emails flow.
    if (app === 'gateway' || app === 'invites') await sleep(app === 'gateway' ? 400 : 900);
    else await until('a fifth of the emails', async () => (await emailsSoFar()) >= CONTACTS / 5, 120_000);
    const killedAt = Date.now();
    await stack.get(app).kill();
    log(`  killed ${app}`);
    await sleep(1000);
    stack.get(app).start();
    await until(`${app} ready`, async () => allReady([app]), 120_000);
    recoverMs = Date.now() - killedAt;
  } else {
    const server = fault.target as ServerName;
    await sleep(1500);
    servers.down(server);
    log(`  stopped ${server}`);
    const downAt = Date.now();
    const seen = new Set<AppName>();
    while (Date.now() - downAt < SERVER_DOWN_MS) {
      for (const app of DEPENDENTS[server]) {
        const status = await fetch(`${stack.url(app)}/ready`, { signal: AbortSignal.timeout(3000) }).then(
          (r) => r.status,
          () => 0,
        );
        if (status === 503) seen.add(app);
      }
      await sleep(500);
    }
    unready = `${seen.size}/${DEPENDENTS[server].length}`;
    if (seen.size < DEPENDENTS[server].length)
      notes.push(`${server} down: ${DEPENDENTS[server].filter((a) => !seen.has(a)).join(', ')} never answered 503`);
    servers.up(server);
    const upAt = Date.now();
    log(`  restarted ${server}`);
    await until('every service ready', async () => allReady(), 180_000);
    recoverMs = Date.now() - upAt;
  }
  const bulkAnswer = await bulk;
  await sleep(3000);
  uploadsDone = true;
  const uploadStatuses = await uploads;
  await inviteTheRest(clientId, ids);

  const emailsArrived = await until('every email', async () => (await emailsSoFar()) >= CONTACTS, CONVERGE_MS);
  const emailsAt = Date.now();
  const converged = await until(
    'every contact shown invited',
    async () =>
      (await listAll<{ portal: { state: string } }>(`/v1/clients/${clientId}/contacts`)).every(
        (c) => c.portal.state === 'invited',
      ),
    120_000,
  );
  log(
    `  every email in, then statuses ${converged ? 'converged' : 'not converged'} ${((Date.now() - emailsAt) / 1000).toFixed(1)} s later`,
  );
  await sleep(5000); // a late second copy would arrive now

  const invites = await listAll<{ contactId: string }>(`/v1/invites?clientId=${clientId}`);
  const invitesPer = new Map<string, number>();
  for (const i of invites) invitesPer.set(i.contactId, (invitesPer.get(i.contactId) ?? 0) + 1);
  const contactsWithOne = ids.filter((id) => invitesPer.get(id) === 1).length;
  const emails = await mailbox.search(`to:"@${domain}"`);
  const perAddress = new Map<string, string[]>();
  for (const m of emails)
    for (const to of m.To) perAddress.set(to.Address, [...(perAddress.get(to.Address) ?? []), m.MessageID]);
  const copies = [...perAddress.values()].filter((messageIds) => messageIds.length > 1);
  const sameId = copies.filter((messageIds) => new Set(messageIds).size === 1).length;
  const differentId = copies.length - sameId;
  const dead = deadLetters.messages.length - deadBefore;
  const orphans = fault.uploads ? await orphansOf(mongo, minio) : { objects: 0, records: 0 };
  const unexpected = takeServiceFaults().filter((f) => !f.includes('exited by itself with 137'));
  if (unexpected.length > 0) notes.push(...unexpected.map((f) => f.split('\n')[0].slice(0, 160)));
  if (!converged) {
    // Which states the stragglers show, for the logs of the contacts service to be read against.
    const states = new Map<string, number>();
    for (const c of await listAll<{ portal: { state: string } }>(`/v1/clients/${clientId}/contacts`).catch(() => []))
      if (c.portal.state !== 'invited') states.set(c.portal.state, (states.get(c.portal.state) ?? 0) + 1);
    notes.push(
      `statuses did not converge (${[...states].map(([state, n]) => `${n} ${state}`).join(', ') || 'list failed'})`,
    );
  }
  if (!emailsArrived) notes.push('not every email arrived in time');
  notes.push(`bulk answered ${bulkAnswer}`);
  // Every upload gets an answer: stored, or refused with a status (503 while a server is down).
  const unanswered = uploadStatuses.filter((status) => status === 0 || (status >= 500 && status !== 503));
  if (noAnswer.length > 0) notes.push(`uploads with no answer: ${noAnswer.join(' | ')}`);
  if (unanswered.length > 0) notes.push(`uploads answered ${[...new Set(unanswered)].join(', ')}`);

  const ok =
    contactsWithOne === CONTACTS &&
    perAddress.size === CONTACTS &&
    differentId === 0 &&
    dead === 0 &&
    orphans.objects + orphans.records === 0 &&
    converged &&
    unanswered.length === 0 &&
    (fault.kind === 'service' || unready.startsWith(String(DEPENDENTS[fault.target as ServerName].length)));
  return {
    fault: fault.name,
    invites: `${CONTACTS} / ${contactsWithOne}${invites.length !== CONTACTS ? ` (${invites.length} invites)` : ''}`,
    emails: `${CONTACTS} / ${perAddress.size}`,
    duplicates: `${sameId} same Message-ID, ${differentId} other`,
    orphans: fault.uploads ? `${orphans.objects} objects, ${orphans.records} records` : '–',
    deadLetters: dead,
    unready,
    recoverS: (recoverMs / 1000).toFixed(1),
    uploads: fault.uploads
      ? `${uploadStatuses.filter((s) => s === 201).length} of ${uploadStatuses.length} stored (others: ${
          [...new Set(uploadStatuses.filter((s) => s !== 201))].join(', ') || 'none'
        })`
      : '–',
    ok,
    notes,
  };
}

/**
 * Peak resident memory and CPU of each service while the faults run (a 1,000-invite bulk with its
 * emails, uploads): the production overlay's requests and limits come from these figures.
 */
class ResourceSampler {
  private readonly peakRssKiB = new Map<AppName, number>();
  private readonly ticks = new Map<number, number>();
  private readonly busiest = new Map<AppName, number>();
  private readonly window = new Map<AppName, number[]>();
  private timer?: NodeJS.Timeout;

  start(): void {
    this.timer = setInterval(() => this.sample(), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    for (const app of APPS) {
      const pid = stack.services.get(app)?.pid;
      if (!pid) continue;
      try {
        const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        this.peakRssKiB.set(app, Math.max(this.peakRssKiB.get(app) ?? 0, rss));
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        const total = Number(fields[11]) + Number(fields[12]); // utime + stime, in 1/100 s
        const last = this.ticks.get(pid);
        this.ticks.set(pid, total);
        if (last === undefined) continue;
        // CPU over the last 10 s, in cores: what a request must cover when the pod is busy.
        const recent = [...(this.window.get(app) ?? []), (total - last) / 100].slice(-10);
        this.window.set(app, recent);
        const cores = recent.reduce((a, b) => a + b, 0) / recent.length;
        if (recent.length === 10) this.busiest.set(app, Math.max(this.busiest.get(app) ?? 0, cores));
      } catch {
        // the process just exited (a kill): the next sample reads its successor
      }
    }
  }

  table(): string {
    return [
      '| app | peak RSS | busiest 10 s, CPU cores |',
      '| --- | --- | --- |',
      ...APPS.map(
        (app) =>
          `| ${app} | ${Math.round((this.peakRssKiB.get(app) ?? 0) / 1024)} MiB | ${(this.busiest.get(app) ?? 0).toFixed(2)} |`,
      ),
    ].join('\n');
  }
}

function table(rows: Row[]): string {
  const head =
    '| fault | invites expected / found (one each) | emails expected / found | duplicates | orphans | dead letters | unready while down | recovered in s | uploads during the fault | result |';
  const line = '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';
  return [
    head,
    line,
    ...rows.map(
      (r) =>
        `| ${r.fault} | ${r.invites} | ${r.emails} | ${r.duplicates} | ${r.orphans} | ${r.deadLetters} | ${r.unready} | ${r.recoverS} | ${r.uploads} | ${r.ok ? 'pass' : `FAIL: ${r.notes.join('; ')}`} |`,
    ),
  ].join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const rows: Row[] = [];
  const resources = new ResourceSampler();
  log(`private servers in ${servers.dir} (ports ${servers.ports.kafka}–${servers.ports.smtpHttp})`);
  servers.up('kafka', 'mongo', 'minio', 'smtp');
  const kafka = new Kafka({ clientId: 'faults', brokers: [env.KAFKA_BROKERS ?? ''], logLevel: logLevel.NOTHING });
  await ensureTopics(kafka);
  const deadLetters = await new KafkaTap([env.KAFKA_BROKERS ?? '']).start(Object.values(Topic).map(deadLetterTopic));
  const mongo = await MongoClient.connect(env.MONGO_URL ?? '');
  const minio = new MinioClient({
    endPoint: '127.0.0.1',
    port: servers.ports.minio,
    useSSL: false,
    accessKey: env.S3_ACCESS_KEY ?? '',
    secretKey: env.S3_SECRET_KEY ?? '',
  });
  try {
    await stack.startBehindGateway(['contacts', 'invites', 'notifications', 'files', 'audit'], 120_000);
    await stack.get('gateway').waitReady();
    const anonymous = new GatewayClient(stack.url('gateway')).from(randomClientAddress());
    const signedUp = await anonymous.signUpFirm();
    firmId = signedUp.firm.id;
    staff = anonymous.withToken(signedUp.accessToken);
    resources.start();
    for (const fault of FAULTS) {
      const row = await runFault(fault, deadLetters, mongo, minio);
      log(`  ${row.ok ? 'pass' : 'FAIL'}: ${JSON.stringify(row)}`);
      rows.push(row);
    }
  } finally {
    resources.stop();
    await deadLetters.stop().catch(() => undefined);
    await mongo.close().catch(() => undefined);
    await stack.stopAll().catch((e: unknown) => log(`stopping the stack: ${String(e).slice(0, 300)}`));
    servers.remove();
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  const result =
    `Run ${new Date().toISOString()} on ${cpus().length} cores: ${CONTACTS} contacts per fault, ` +
    `${minutes} min in all (\`npm run test:faults\`${ONLY.size ? `, FAULTS_ONLY=${[...ONLY].join(',')}` : ''}).\n\n` +
    table(rows) +
    '\n\nResources of each service over the run (sampled every second; the production requests follow them):\n\n' +
    resources.table() +
    '\n';
  process.stdout.write(`\n${result}\n`);
  if (CONTACTS === 1000)
    writeFileSync(join(__dirname, 'last-result.md'), `# Last result of \`npm run test:faults\`\n\n${result}`);
  process.exitCode = rows.every((r) => r.ok) && rows.length === FAULTS.length ? 0 : 1;
}

main().catch((error: unknown) => {
  log(`fault run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  servers.remove();
  process.exit(1);
});
