/**
 * `npm run bench`: every figure of the benchmark in one run against the local servers, on one
 * stack of all five services (its own databases, consumer groups and Mailpit), written to
 * bench/results/latest.json and as a table into the README. Needs the servers up and a build.
 * Never part of `npm test`: nothing here asserts on time.
 */
import {
  GatewayClient,
  GatewayTestStack,
  PrivateSmtpServer,
  randomClientAddress,
  seedContacts,
  TEST_PORTS,
  testStackEnv,
} from '@cp/testing';
import { Kafka, logLevel } from 'kafkajs';
import { Client as MinioClient } from 'minio';
import { MongoClient } from 'mongodb';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { stream1g, uploads } from './files';
import { bareNodemailer, inviteLag, InviteBenchContext, wholePath } from './invites';
import { firstPageThroughGateway, firstPageWithDriver, gatewayVsDirect } from './lists';
import { pollFlat } from './polls';
import { KiB, log, MiB, pidListeningOn, round } from './support';

const ROOT = join(__dirname, '..');
const POOL_SIZE = 5;
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').filter(Boolean));
const wanted = (part: string) => only.size === 0 || only.has(part) || only.has(part.replace(/\d+k$/, ''));

/** What answers on MONGO_URL, as it reports itself. */
async function mongoServer(mongo: MongoClient): Promise<string> {
  const info = (await mongo.db('admin').command({ buildInfo: 1 })) as {
    version?: string;
    ferretdb?: { version?: string };
  };
  const hello = await mongo.db('admin').command({ isMaster: 1 });
  const name = info.ferretdb
    ? `FerretDB ${info.ferretdb.version ?? ''}`
    : String(process.env.BENCH_MONGO_NAME ?? 'MongoDB-wire server');
  return `${name} (reports MongoDB ${String(info.version)}, wire ${String(hello.maxWireVersion)})`;
}

function table(report: BenchReport): string {
  const r = report.results;
  const row = (what: string, ours: string, reference: string, ratio: string, goal: string) =>
    `| ${what} | ${ours} | ${reference} | ${ratio} | ${goal} |`;
  const n = (v: number | undefined, unit = '') => (v === undefined ? '–' : `${v}${unit}`);
  return [
    `Run ${report.runAt} on ${report.machine.cpus} cores, ${report.machine.memGiB} GiB, ${report.mongo}.`,
    ...Object.entries(report.failures ?? {}).map(([name, reason]) => `\n${name} did not finish: ${reason}`),
    '',
    '| figure | ours | reference | ratio | goal |',
    '| --- | --- | --- | --- | --- |',
    row(
      '1,000 invites, request → last email',
      n(r.invites1k?.ours_s, ' s'),
      `bare nodemailer ${n(r.invites1k?.bare_s, ' s')}`,
      n(r.invites1k?.ratio),
      '≤ 1.5',
    ),
    row(
      '10,000 invites, request → last email',
      n(r.invites10k?.ours_s, ' s'),
      `bare nodemailer ${n(r.invites10k?.bare_s, ' s')}`,
      n(r.invites10k?.ratio),
      '≤ 1.5',
    ),
    row(
      'per invite, 1,000 vs 10,000',
      n(r.inviteGrowth?.perInvite10k_ms, ' ms'),
      n(r.inviteGrowth?.perInvite1k_ms, ' ms'),
      n(r.inviteGrowth?.ratio),
      '≤ 1.2',
    ),
    row(
      'first page of contacts, 10,000 vs 100 stored (p50)',
      n(r.listFlat?.p50_10k_ms, ' ms'),
      n(r.listFlat?.p50_100_ms, ' ms'),
      n(r.listFlat?.ratio),
      'reported',
    ),
    row(
      'first page of 10,000, gateway vs driver (p50)',
      n(r.listVsDriver?.ours_p50_ms, ' ms'),
      n(r.listVsDriver?.driver_p50_ms, ' ms'),
      n(r.listVsDriver?.ratio),
      '≤ 3',
    ),
    row(
      'GET one contact, gateway vs contacts service',
      n(r.gatewayVsDirect?.ours_rps, '/s'),
      n(r.gatewayVsDirect?.direct_rps, '/s'),
      n(r.gatewayVsDirect?.ratio),
      '≥ 0.5',
    ),
    row(
      '4 KiB uploads, gateway vs putObject',
      n(r.upload4k?.ours_per_s, '/s'),
      n(r.upload4k?.direct_per_s, '/s'),
      n(r.upload4k?.ratio),
      '≥ 0.5',
    ),
    row(
      '8 MiB uploads, gateway vs putObject',
      n(r.upload8m?.ours_MiBps, ' MiB/s'),
      n(r.upload8m?.direct_MiBps, ' MiB/s'),
      n(r.upload8m?.ratio),
      '≥ 0.7',
    ),
    row(
      'polls for due work, 50,000 vs 100 stored (p50)',
      n(r.pollFlat?.p50_50k_ms, ' ms'),
      n(r.pollFlat?.p50_100_ms, ' ms'),
      n(r.pollFlat?.ratio),
      'flat',
    ),
    row('1 GiB up and down, largest RSS growth', n(r.stream1g?.maxRssGrowthMiB, ' MiB'), '', '', '≤ 128 MiB'),
    row('InviteSent → SMTP accepted, 100/s for 60 s (p99)', n(r.inviteLag?.p99_ms, ' ms'), '', '', '≤ 1,000 ms'),
  ].join('\n');
}

interface BenchReport {
  runAt: string;
  machine: { cpus: number; memGiB: number };
  mongo: string;
  /** Figures of this run that did not finish, with the reason. */
  failures?: Record<string, string>;
  results: Partial<{
    invites1k: { ours_s: number; bare_s: number; ratio: number };
    invites10k: { ours_s: number; bare_s: number; ratio: number };
    inviteGrowth: { perInvite1k_ms: number; perInvite10k_ms: number; ratio: number };
    listFlat: { p50_100_ms: number; p50_10k_ms: number; ratio: number };
    pollFlat: { p50_100_ms: number; p50_50k_ms: number; ratio: number };
    listVsDriver: { ours_p50_ms: number; driver_p50_ms: number; ratio: number };
    gatewayVsDirect: { ours_rps: number; direct_rps: number; ratio: number };
    upload4k: { ours_per_s: number; direct_per_s: number; ratio: number };
    upload8m: { ours_MiBps: number; direct_MiBps: number; ratio: number };
    stream1g: { maxRssGrowthMiB: number };
    inviteLag: { p99_ms: number; rate_per_s: number; seconds: number };
  }>;
}

/** A partial run (BENCH_ONLY) keeps the other figures of the previous run's file. */
function previousResults(): BenchReport['results'] {
  if (only.size === 0) return {};
  try {
    return (JSON.parse(readFileSync(join(ROOT, 'bench', 'results', 'latest.json'), 'utf8')) as BenchReport).results;
  } catch {
    return {};
  }
}

function writeReport(report: BenchReport): void {
  mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results', 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const readme = join(ROOT, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (text.includes(start) && text.includes(end)) {
    const before = text.slice(0, text.indexOf(start) + start.length);
    const after = text.slice(text.indexOf(end));
    writeFileSync(readme, `${before}\n${table(report)}\n${after}`);
  }
}

async function cleanUp(mongo: MongoClient, env: NodeJS.ProcessEnv, prefix: string): Promise<void> {
  // By name, not by listing: the local server's listDatabases opens every database it holds
  // (tens of seconds on a developer's long-used data file).
  for (const name of ['contacts', 'invites', 'notifications', 'files', 'audit', 'polls'])
    await mongo.db(`${prefix}${name}`).dropDatabase();
  const admin = new Kafka({ brokers: (env.KAFKA_BROKERS ?? '').split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const groups = ['contacts', 'invites', 'notifications', 'files'].map((app) => `${prefix}${app}`);
    await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const run = randomBytes(3).toString('hex');
  const prefix = `bench${run}_`;
  const smtp = PrivateSmtpServer.forTestStack();
  const env = testStackEnv({
    STACK_PREFIX: prefix,
    LOG_LEVEL: 'warn',
    SMTP_URL: smtp.smtpUrl,
    INVITE_REMINDER_DAYS: '',
    MAIL_POOL_SIZE: String(POOL_SIZE),
    RATE_LIMIT_PER_MINUTE: '100000',
    // Where the time goes: BENCH_CPU_PROF=<dir> writes a CPU profile of every service at its exit.
    ...(process.env.BENCH_CPU_PROF
      ? { SERVICE_NODE_FLAGS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` }
      : {}),
  });
  const mongo = await MongoClient.connect(env.MONGO_URL ?? '');
  const report: BenchReport = {
    runAt: new Date().toISOString(),
    machine: { cpus: cpus().length, memGiB: round(totalmem() / 1024 ** 3, 1) },
    mongo: await mongoServer(mongo),
    results: previousResults(),
  };
  const results = report.results;
  const stack = new GatewayTestStack(env);
  await smtp.start();
  try {
    await stack.startBehindGateway(['contacts', 'invites', 'notifications', 'files'], 120_000);
    const gateway = stack.url('gateway');
    const anonymous = new GatewayClient(gateway).from(randomClientAddress());
    const firm = await anonymous.signUpFirm();
    const staff = anonymous.withToken(firm.accessToken);
    const firmId = firm.firm.id;
    const ctx: InviteBenchContext = {
      staff,
      firmId,
      mongo,
      mongoUrl: env.MONGO_URL ?? '',
      prefix,
      mailApi: smtp.apiUrl,
      smtpUrl: smtp.smtpUrl,
      poolSize: POOL_SIZE,
      run,
    };
    let bigClient: string | undefined;
    /** One figure's part: a failure is recorded with its reason and the run goes on to the next. */
    const part = async (name: string, work: () => Promise<void>) => {
      try {
        await work();
      } catch (error) {
        log(`${name} did not finish: ${String(error)}`);
        report.failures = { ...report.failures, [name]: String(error instanceof Error ? error.message : error) };
        writeReport(report);
      }
    };
    if (wanted('invites1k'))
      await part('invites1k', async () => {
        const bare1k = await bareNodemailer(ctx, 1000);
        log(`bare nodemailer, 1,000: ${bare1k.toFixed(1)} s`);
        const ours1k = (await wholePath(ctx, 1000)).seconds;
        log(`whole path, 1,000: ${ours1k.toFixed(1)} s`);
        results.invites1k = { ours_s: round(ours1k, 1), bare_s: round(bare1k, 1), ratio: round(ours1k / bare1k) };
        writeReport(report);
      });
    if (wanted('invites10k'))
      await part('invites10k', async () => {
        const bare10k = await bareNodemailer(ctx, 10_000);
        log(`bare nodemailer, 10,000: ${bare10k.toFixed(1)} s`);
        const path10k = await wholePath(ctx, 10_000);
        bigClient = path10k.clientId;
        log(`whole path, 10,000: ${path10k.seconds.toFixed(1)} s`);
        results.invites10k = {
          ours_s: round(path10k.seconds, 1),
          bare_s: round(bare10k, 1),
          ratio: round(path10k.seconds / bare10k),
        };
        const ours1k = results.invites1k?.ours_s ?? NaN;
        const perInvite1k = (ours1k / 1000) * 1000;
        const perInvite10k = (path10k.seconds / 10_000) * 1000;
        results.inviteGrowth = {
          perInvite1k_ms: round(perInvite1k),
          perInvite10k_ms: round(perInvite10k),
          ratio: round(perInvite10k / perInvite1k),
        };
        writeReport(report);
      });
    if (wanted('lists'))
      await part('lists', async () => {
        const clientOf = async (name: string, count: number) => {
          const clientId = (await staff.post<{ id: string }>('/v1/clients', { name, kind: 'business' })).body.id;
          const domain = `${name.toLowerCase()}-${run}.bench.example`;
          await seedContacts(env.MONGO_URL ?? '', `${prefix}contacts`, {
            firmId,
            clientId,
            count,
            label: 'bench',
            domain,
          });
          return clientId;
        };
        const small = await clientOf('Small', 100);
        bigClient ??= await clientOf('Large', 10_000);
        const p50Small = await firstPageThroughGateway(staff, small);
        const p50Big = await firstPageThroughGateway(staff, bigClient);
        const driver = await firstPageWithDriver(mongo, `${prefix}contacts`, firmId, bigClient);
        results.listFlat = { p50_100_ms: p50Small, p50_10k_ms: p50Big, ratio: round(p50Big / p50Small) };
        results.listVsDriver = { ours_p50_ms: p50Big, driver_p50_ms: driver, ratio: round(p50Big / driver) };
        log(`lists: ${JSON.stringify({ listFlat: results.listFlat, listVsDriver: results.listVsDriver })}`);
        const one = (await staff.get<{ items: { id: string }[] }>(`/v1/clients/${small}/contacts?limit=1`)).body
          .items[0];
        const rps = await gatewayVsDirect(staff, stack.url('contacts'), firmId, one.id);
        results.gatewayVsDirect = { ...rps, ratio: round(rps.ours_rps / rps.direct_rps) };
        log(`gateway vs direct: ${JSON.stringify(results.gatewayVsDirect)}`);
        writeReport(report);
      });
    if (wanted('polls'))
      await part('polls', async () => {
        results.pollFlat = await pollFlat(mongo, `${prefix}polls`);
        log(`polls: ${JSON.stringify(results.pollFlat)}`);
        writeReport(report);
      });
    if (wanted('files'))
      await part('files', async () => {
        const clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'Files', kind: 'business' })).body.id;
        const fctx = {
          gateway,
          staff,
          clientId,
          minio: new MinioClient({
            endPoint: new URL(env.S3_ENDPOINT ?? '').hostname,
            port: Number(new URL(env.S3_ENDPOINT ?? '').port),
            useSSL: false,
            accessKey: env.S3_ACCESS_KEY ?? '',
            secretKey: env.S3_SECRET_KEY ?? '',
          }),
          bucket: env.S3_BUCKET ?? '',
          pids: (['gateway', 'contacts', 'files'] as const).map((app) => pidListeningOn(TEST_PORTS[app])),
          run,
        };
        const small = await uploads(fctx, 4 * KiB, 200);
        results.upload4k = {
          ours_per_s: round(small.ours, 1),
          direct_per_s: round(small.direct, 1),
          ratio: round(small.ours / small.direct),
        };
        const large = await uploads(fctx, 8 * MiB, 20);
        results.upload8m = {
          ours_MiBps: round(large.ours * 8, 1),
          direct_MiBps: round(large.direct * 8, 1),
          ratio: round(large.ours / large.direct),
        };
        log(`uploads: ${JSON.stringify({ upload4k: results.upload4k, upload8m: results.upload8m })}`);
        const streamed = await stream1g(fctx);
        results.stream1g = { maxRssGrowthMiB: streamed.maxRssGrowthMiB };
        log(`1 GiB: ${JSON.stringify(streamed)}`);
        writeReport(report);
      });
    if (wanted('lag'))
      await part('lag', async () => {
        const lag = await inviteLag(ctx, 100, 60);
        results.inviteLag = { p99_ms: lag.p99_ms, rate_per_s: 100, seconds: 60 };
        log(`invite lag: ${JSON.stringify(lag)}`);
        writeReport(report);
      });
  } finally {
    await stack.stopAll().catch((error: unknown) => log(`stopping the stack: ${String(error)}`));
    await smtp.stop();
    // BENCH_KEEP_DATA=1 keeps the run's databases to look into where the time went.
    if (process.env.BENCH_KEEP_DATA) log(`kept the databases ${prefix}*`);
    else await cleanUp(mongo, env, prefix).catch((error: unknown) => log(`clean-up failed: ${String(error)}`));
    await mongo.close();
  }
  writeReport(report);
  process.stdout.write(`${table(report)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
