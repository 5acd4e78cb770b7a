/**
 * Files through the gateway against the same bytes put straight into MinIO, and the memory a
 * 1 GiB upload and download take in every process on the way (VmRSS sampled every 100 ms).
 */
import { downloadHashed, GatewayClient, GeneratedFile, uploadMultipart } from '@cp/testing';
import { Client as MinioClient } from 'minio';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { interleaved, KiB, maxRssGrowth, MiB, round, seconds } from './support';

export interface FilesBenchContext {
  gateway: string;
  staff: GatewayClient;
  clientId: string;
  minio: MinioClient;
  bucket: string;
  pids: number[];
  run: string;
}

async function upload(ctx: FilesBenchContext, file: GeneratedFile, name = 'bench.bin'): Promise<string> {
  const res = await uploadMultipart<{ id: string }>(`${ctx.gateway}/v1/clients/${ctx.clientId}/files`, {
    token: ctx.staff.token,
    file: { name, size: file.size, bytes: file.stream() },
  });
  if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Sequential uploads of `count` files of `size`: files per second, gateway and direct, in alternating rounds. */
export async function uploads(ctx: FilesBenchContext, size: number, count: number) {
  const stored: string[] = [];
  const keys: string[] = [];
  const bytes = randomBytes(size);
  const rounds = Math.min(10, count);
  const perRound = Math.ceil(count / rounds);
  const { oursSeconds, referenceSeconds } = await interleaved(
    rounds,
    async () => {
      for (let i = 0; i < perRound; i++)
        stored.push(await upload(ctx, new GeneratedFile(size, { chunkBytes: Math.min(size, 64 * KiB) })));
    },
    async () => {
      for (let i = 0; i < perRound; i++) {
        const key = `bench-direct/${ctx.run}/${size}-${keys.length}`;
        await ctx.minio.putObject(ctx.bucket, key, bytes, bytes.length);
        keys.push(key);
      }
    },
  );
  for (const id of stored) await ctx.staff.delete(`/v1/files/${id}`);
  await ctx.minio.removeObjects(ctx.bucket, keys);
  return { ours: stored.length / oursSeconds, direct: keys.length / referenceSeconds };
}

/** A 1 GiB upload, then its download (SHA-256 compared): the largest RSS growth of any process. */
export async function stream1g(ctx: FilesBenchContext): Promise<{ maxRssGrowthMiB: number; upMiBps: number }> {
  const big = new GeneratedFile(1024 * MiB, { chunkBytes: 256 * KiB });
  const started = performance.now();
  const up = await maxRssGrowth(ctx.pids, () => upload(ctx, big, 'one-gib.bin'));
  const upMiBps = 1024 / seconds(started);
  const down = await maxRssGrowth(ctx.pids, () =>
    downloadHashed(`${ctx.gateway}/v1/files/${up.result}/download`, ctx.staff.token),
  );
  if (down.result.sha256 !== big.sha256) throw new Error('the download differs from the upload');
  await ctx.staff.delete(`/v1/files/${up.result}`);
  return { maxRssGrowthMiB: round(Math.max(up.growth, down.growth) / MiB, 1), upMiBps: round(upMiBps, 1) };
}
