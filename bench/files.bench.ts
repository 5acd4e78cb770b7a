/**
 * Files through the gateway, on the real MinIO, FerretDB and Kafka. Needs the local servers and
 * a build. Run: npm run bench (after the contacts bench), or alone:
 *   TEST_PORT_BASE=3290 npx ts-node --transpile-only -r tsconfig-paths/register bench/files.bench.ts
 *
 * 1. Streams a 1 GiB upload and then its download through the gateway, sampling every service
 *    process's resident memory (VmRSS in /proc/<pid>/status): the growth must stay under 128 MiB.
 * 2. Upload throughput for 4 KiB and 8 MiB files: through the gateway (multipart, auth, metadata,
 *    SHA-256, events) against a direct putObject of the same bytes to the same MinIO.
 */
import {
  downloadHashed,
  GatewayClient,
  GatewayTestStack,
  GeneratedFile,
  randomClientAddress,
  TEST_PORTS,
  testStackEnv,
  uploadMultipart,
} from '@cp/testing';
import { Client as MinioClient } from 'minio';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const RSS_BUDGET = 128 * MiB;
const APPS = ['gateway', 'contacts', 'files'] as const;

/** The pid of the process listening on a loopback TCP port (from /proc, no extra tools). */
function pidListeningOn(port: number): number {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ip:port in hex; state 0A is LISTEN.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A') inodes.add(cols[9]);
    }
  }
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return Number(pid);
      }
    } catch {
      // not ours to read, or gone
    }
  }
  throw new Error(`no process listens on port ${port}`);
}

function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * KiB : 0;
}

/** Samples each process's RSS every 100 ms while `work` runs; returns baseline and peak. */
async function withRssSampling<T>(
  pids: Record<string, number>,
  work: () => Promise<T>,
): Promise<{ result: T; rss: Record<string, { before: number; peak: number }> }> {
  const rss = Object.fromEntries(
    Object.entries(pids).map(([app, pid]) => [app, { before: rssBytes(pid), peak: rssBytes(pid) }]),
  );
  const timer = setInterval(() => {
    for (const [app, pid] of Object.entries(pids)) rss[app].peak = Math.max(rss[app].peak, rssBytes(pid));
  }, 100);
  try {
    return { result: await work(), rss };
  } finally {
    clearInterval(timer);
  }
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

function report(label: string, rss: Record<string, { before: number; peak: number }>): boolean {
  let ok = true;
  for (const [app, { before, peak }] of Object.entries(rss)) {
    const growth = peak - before;
    ok &&= growth < RSS_BUDGET;
    console.log(
      `  ${label.padEnd(9)} ${app.padEnd(9)} RSS ${mib(before)} → peak ${mib(peak)}   growth ${mib(growth)}${growth < RSS_BUDGET ? '' : '  OVER BUDGET'}`,
    );
  }
  return ok;
}

async function throughput(
  label: string,
  size: number,
  count: number,
  gatewayUpload: (file: GeneratedFile) => Promise<void>,
  directPut: (bytes: Buffer, i: number) => Promise<void>,
): Promise<void> {
  const viaGateway = performance.now();
  for (let i = 0; i < count; i++)
    await gatewayUpload(new GeneratedFile(size, { chunkBytes: Math.min(size, 64 * KiB) }));
  const gatewayMs = performance.now() - viaGateway;
  const bytes = randomBytes(size);
  const direct = performance.now();
  for (let i = 0; i < count; i++) await directPut(bytes, i);
  const directMs = performance.now() - direct;
  const line = (name: string, ms: number) =>
    `${name} ${((count * 1000) / ms).toFixed(1).padStart(7)} files/s ${((count * size) / MiB / (ms / 1000)).toFixed(1).padStart(7)} MiB/s`;
  console.log(
    `  ${label.padEnd(6)} ×${String(count).padEnd(4)} ${line('gateway', gatewayMs)}   ${line('direct putObject', directMs)}   ratio ${(directMs / gatewayMs).toFixed(2)}`,
  );
}

async function main(): Promise<void> {
  // Its own databases and consumer groups: the contacts bench's group must not be rebalanced by ours.
  const env = testStackEnv({ STACK_PREFIX: 'bench_files_', LOG_LEVEL: 'warn' });
  const stack = new GatewayTestStack(env);
  const minio = new MinioClient({
    endPoint: '127.0.0.1',
    port: 9000,
    useSSL: false,
    accessKey: env.S3_ACCESS_KEY ?? '',
    secretKey: env.S3_SECRET_KEY ?? '',
  });
  const bucket = env.S3_BUCKET ?? 'client-portal-test';
  try {
    await stack.startBehindGateway(['contacts', 'files']);
    const gateway = stack.url('gateway');
    const anonymous = new GatewayClient(gateway).from(randomClientAddress());
    const firm = await anonymous.signUpFirm();
    const staff = anonymous.withToken(firm.accessToken);
    const clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'Bench', kind: 'business' })).body.id;
    const pids = Object.fromEntries(APPS.map((app) => [app, pidListeningOn(TEST_PORTS[app])]));
    const upload = async (file: GeneratedFile, name = 'bench.bin') => {
      const res = await uploadMultipart<{ id: string }>(`${gateway}/v1/clients/${clientId}/files`, {
        token: staff.token,
        file: { name, size: file.size, bytes: file.stream() },
      });
      if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.id;
    };

    console.log('files bench: 1 GiB through the gateway (RSS growth budget 128 MiB per process)');
    const big = new GeneratedFile(GiB, { chunkBytes: 256 * KiB });
    let started = performance.now();
    const up = await withRssSampling(pids, () => upload(big, 'one-gib.bin'));
    const upSeconds = (performance.now() - started) / 1000;
    console.log(`  upload   1 GiB in ${upSeconds.toFixed(1)} s (${(1024 / upSeconds).toFixed(0)} MiB/s)`);
    let ok = report('upload', up.rss);
    started = performance.now();
    const down = await withRssSampling(pids, () =>
      downloadHashed(`${gateway}/v1/files/${up.result}/download`, staff.token),
    );
    const downSeconds = (performance.now() - started) / 1000;
    if (down.result.sha256 !== big.sha256) throw new Error('the download differs from the upload');
    console.log(
      `  download 1 GiB in ${downSeconds.toFixed(1)} s (${(1024 / downSeconds).toFixed(0)} MiB/s), SHA-256 equal`,
    );
    ok = report('download', down.rss) && ok;
    await staff.delete(`/v1/files/${up.result}`);

    console.log('files bench: upload throughput, gateway vs direct putObject to the same MinIO (sequential)');
    const uploaded: string[] = [];
    const direct: string[] = [];
    const directPut = async (bytes: Buffer, i: number) => {
      const key = `bench-direct/${firm.firm.id}/${bytes.length}-${i}`;
      await minio.putObject(bucket, key, bytes, bytes.length);
      direct.push(key);
    };
    const viaGateway = async (file: GeneratedFile) => void uploaded.push(await upload(file));
    await throughput('4 KiB', 4 * KiB, 200, viaGateway, directPut);
    await throughput('8 MiB', 8 * MiB, 20, viaGateway, directPut);
    for (const id of uploaded) await staff.delete(`/v1/files/${id}`);
    await minio.removeObjects(bucket, direct);
    if (!ok) process.exitCode = 1;
  } finally {
    await stack.stopAll();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
