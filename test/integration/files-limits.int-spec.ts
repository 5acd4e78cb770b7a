import {
  GatewayClient,
  GatewayTestStack,
  GeneratedFile,
  randomClientAddress,
  sendUploadSlowly,
  testStackEnv,
  uploadMultipart,
} from '@cp/testing';
import { Client as MinioClient } from 'minio';
import mongoose from 'mongoose';

const MiB = 1024 * 1024;
const BUCKET = 'client-portal-test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The upload limit and what is left after a refused or killed upload: nothing, in MinIO or the database.
describe('upload limits and orphan cleanup', () => {
  const env = testStackEnv({ UPLOAD_STALE_SECONDS: '4' });
  const stack = new GatewayTestStack(env);
  const minio = new MinioClient({
    endPoint: '127.0.0.1',
    port: 9000,
    useSSL: false,
    accessKey: env.S3_ACCESS_KEY ?? 'clientportal',
    secretKey: env.S3_SECRET_KEY ?? 'clientportal-local-secret',
  });
  let db: mongoose.Connection;
  let gateway: string;
  let staff: GatewayClient;
  let firmId: string;
  let clientId: string;

  beforeAll(async () => {
    db = await mongoose.createConnection(env.MONGO_URL ?? '', { dbName: `${env.STACK_PREFIX}files` }).asPromise();
    await stack.startBehindGateway(['contacts', 'files']);
    gateway = stack.url('gateway');
    const anonymous = new GatewayClient(gateway).from(randomClientAddress());
    const firm = await anonymous.signUpFirm();
    firmId = firm.firm.id;
    staff = anonymous.withToken(firm.accessToken);
    clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'Limits Ltd', kind: 'business' })).body.id;
  }, 180_000);

  afterAll(async () => {
    await db.close();
    await stack.stopAll();
  });

  const upload = (file: GeneratedFile) =>
    uploadMultipart<{ id: string; code?: string; maxUploadBytes?: number }>(`${gateway}/v1/clients/${clientId}/files`, {
      token: staff.token,
      file: { name: 'big.bin', size: file.size, bytes: file.stream() },
    });

  /** Keys of every upload this firm ever started (MinIO lists multipart uploads by exact key only). */
  const keysSeen = new Set<string>();

  /** What the firm has in storage: objects, unfinished multipart uploads, metadata records. */
  async function leftovers(): Promise<{ objects: string[]; incomplete: string[]; records: number }> {
    const prefix = `firms/${firmId}/`;
    const objects: string[] = [];
    for await (const item of minio.listObjects(BUCKET, prefix, true)) objects.push(String(item.name));
    const records = await db.collection<{ objectKey: string }>('files').find({ firmId }).toArray();
    for (const record of records) keysSeen.add(record.objectKey);
    const incomplete: string[] = [];
    for (const key of [...keysSeen, ...objects]) {
      for await (const item of minio.listIncompleteUploads(BUCKET, key, true)) incomplete.push(String(item.key));
    }
    return { objects, incomplete, records: records.length };
  }

  it('a firm sets its upload limit (5 GiB by default); past it: 413 FILE_TOO_LARGE and nothing kept', async () => {
    expect((await staff.get('/v1/settings/files')).body).toEqual({ maxUploadBytes: 5 * 1024 ** 3 });
    expect((await staff.put('/v1/settings/files', { maxUploadBytes: 0 })).status).toBe(400);
    expect((await staff.put('/v1/settings/files', { maxUploadBytes: MiB })).body).toEqual({ maxUploadBytes: MiB });

    const tooBig = await upload(new GeneratedFile(20 * MiB));
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ code: 'FILE_TOO_LARGE', maxUploadBytes: MiB });
    expect(await leftovers()).toEqual({ objects: [], incomplete: [], records: 0 });

    // Exactly at the limit is fine.
    const atLimit = new GeneratedFile(MiB);
    const stored = await upload(atLimit);
    expect(stored.status).toBe(201);
    expect((await staff.delete(`/v1/files/${stored.body.id}`)).status).toBe(204);
    expect(await leftovers()).toEqual({ objects: [], incomplete: [], records: 0 });
  }, 120_000);

  // The files service answers a refused upload from its exception filter, maybe before the rest of
  // the body arrives; it must go on reading it rather than close under its sender (the gateway),
  // whose next write would meet a reset and lose the answer (seen in CI: a 413 read as EPIPE → 503).
  it('answers a refused upload while its sender still writes, and reads the rest instead of resetting', async () => {
    expect((await staff.put('/v1/settings/files', { maxUploadBytes: MiB })).status).toBe(200);
    const files = `${stack.url('files')}/firms/${firmId}/clients/${clientId}/files`;
    const seen = await sendUploadSlowly(
      files,
      { 'x-internal-token': env.INTERNAL_API_TOKEN ?? '', 'x-actor-user-id': 'someone' },
      4 * MiB,
    );
    expect({ sent: seen.sent, writeError: seen.writeError, endedEarly: seen.endedEarly }).toEqual({
      sent: 4 * MiB,
      writeError: undefined,
      endedEarly: false,
    });
    expect(seen.receivedBeforeEnd).toMatch(/^HTTP\/1\.1 413/);
    expect(seen.received).toContain('FILE_TOO_LARGE');
    expect(await leftovers()).toEqual({ objects: [], incomplete: [], records: 0 });
  }, 60_000);

  it('a files service killed mid-upload leaves no object, parts or metadata once it is back', async () => {
    await staff.put('/v1/settings/files', { maxUploadBytes: 1024 * MiB });
    const slow = new GeneratedFile(64 * MiB, { delayMs: 10 });
    const answer = upload(slow).then(
      (res) => res.status,
      () => 'connection closed',
    );
    // Wait until parts are in MinIO and the record is there: a real upload halfway.
    const deadline = Date.now() + 60_000;
    for (;;) {
      const state = await leftovers();
      if (state.incomplete.length > 0 && state.records === 1 && slow.sent > 20 * MiB) break;
      if (Date.now() > deadline) throw new Error(`the upload never got halfway: ${JSON.stringify(state)}`);
      await sleep(100);
    }
    await stack.get('files').kill();
    // The gateway answers 503 when its service dies under it, and reads the rest of the upload
    // before it closes: the client gets the answer, never a reset while it is still sending.
    expect(await answer).toBe(503);
    expect((await leftovers()).records).toBe(1); // the crash really left something behind

    stack.get('files').start();
    await stack.get('files').waitReady();
    const swept = Date.now() + 60_000;
    let state = await leftovers();
    while (Date.now() < swept && (state.records > 0 || state.incomplete.length > 0 || state.objects.length > 0)) {
      await sleep(500);
      state = await leftovers();
    }
    expect(state).toEqual({ objects: [], incomplete: [], records: 0 });
    expect(stack.get('files').logs).toContain('removed orphaned uploads');
  }, 180_000);
});
