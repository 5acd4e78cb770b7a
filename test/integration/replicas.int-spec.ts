import { InviteSentData, Topic } from '@cp/contracts';
import {
  AppName,
  GatewayClient,
  GatewayTestStack,
  KafkaTap,
  Mailbox,
  PrivateSmtpServer,
  randomClientAddress,
  seedContacts,
  ServiceProcess,
  TEST_PORTS,
  testStackEnv,
} from '@cp/testing';
import { Client as MinioClient } from 'minio';
import { MongoClient } from 'mongodb';
import { randomUUID } from 'node:crypto';

const CONTACTS = 60;
const ORPHANS = 20;
const DAY_MS = 86_400_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Two processes of every service against the same databases and consumer groups, as two
 * replicas in a cluster. Everything that runs in each process and must happen once — the outbox
 * relay, email delivery, reminders, invite expiry, the upload sweep — happens exactly once:
 * claims in the database keep the second process off what the first took.
 */
describe('two replicas of every service', () => {
  const smtp = PrivateSmtpServer.forTestStack();
  const env = testStackEnv({
    SMTP_URL: smtp.smtpUrl,
    EXPIRY_SWEEP_MS: '1000',
    REMINDER_SWEEP_MS: '1000',
    UPLOAD_STALE_SECONDS: '2',
    INVITE_REMINDER_DAYS: '3,7',
  });
  const stack = new GatewayTestStack(env);
  const tap = new KafkaTap();
  const mailbox = new Mailbox(smtp.apiUrl);
  const domain = `replicas-${Date.now()}.example`;
  const replicas = new Map<AppName, ServiceProcess>();
  const bucket = env.S3_BUCKET ?? 'client-portal-test';
  const minio = new MinioClient({
    endPoint: '127.0.0.1',
    port: Number(new URL(env.S3_ENDPOINT ?? 'http://127.0.0.1:9000').port),
    useSSL: false,
    accessKey: env.S3_ACCESS_KEY ?? '',
    secretKey: env.S3_SECRET_KEY ?? '',
  });
  let mongo: MongoClient;
  let firmId: string;
  let clientId: string;
  let staff: GatewayClient;
  let staffViaSecond: GatewayClient;
  let invited: { id: string; email: string }[];

  beforeAll(async () => {
    await smtp.start();
    await tap.start([Topic.InviteSent, Topic.InviteExpired]);
    await stack.startBehindGateway(['contacts', 'invites', 'notifications', 'files', 'audit']);
    // The second process of each on the spare ports of the stack's range (base + 5 …).
    const apps: AppName[] = ['contacts', 'invites', 'notifications', 'files', 'gateway'];
    await Promise.all(
      apps.map(async (app, i) => replicas.set(app, await stack.startReplica(app, TEST_PORTS.gateway + 6 + i))),
    );
    mongo = await MongoClient.connect(env.MONGO_URL ?? '');
    const anonymous = new GatewayClient(stack.url('gateway')).from(randomClientAddress());
    const signedUp = await anonymous.signUpFirm();
    firmId = signedUp.firm.id;
    staff = anonymous.withToken(signedUp.accessToken);
    staffViaSecond = new GatewayClient(replicas.get('gateway')?.url ?? '', signedUp.accessToken).from(
      randomClientAddress(),
    );
    clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'Replicas', kind: 'business' })).body.id;
  }, 240_000);

  afterAll(async () => {
    await mongo?.close();
    await tap.stop();
    try {
      await stack.stopAll();
    } finally {
      await smtp.stop();
    }
  });

  /** Emails per address of this test's contacts, and the subjects each got. */
  async function inbox(): Promise<Map<string, string[]>> {
    const byAddress = new Map<string, string[]>();
    for (const m of await mailbox.search(`to:"@${domain}"`))
      for (const to of m.To) byAddress.set(to.Address, [...(byAddress.get(to.Address) ?? []), m.Subject]);
    return byAddress;
  }

  async function until(what: string, done: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await sleep(500);
    }
  }

  /** Restarts both processes of an app at once with a shifted clock: both run its jobs from then on. */
  async function restartBoth(app: AppName, extraEnv: NodeJS.ProcessEnv): Promise<void> {
    const both = [stack.get(app), replicas.get(app) as ServiceProcess];
    await Promise.all(both.map(async (p) => p.stop()));
    both.forEach((p) => p.start(extraEnv));
    await Promise.all(both.map(async (p) => p.waitReady()));
  }

  it('announces each invite once and sends one email per invite (relays, consumers, delivery workers)', async () => {
    invited = await seedContacts(env.MONGO_URL ?? '', `${env.STACK_PREFIX}contacts`, {
      firmId,
      clientId,
      count: CONTACTS,
      label: 'replica',
      domain,
    });
    // Half through each gateway; each reaches the first invites process, whose outbox either relay may publish.
    const halves = [invited.slice(0, CONTACTS / 2), invited.slice(CONTACTS / 2)];
    const answers = await Promise.all(
      [staff, staffViaSecond].map(async (client, i) =>
        client.post<{ results: { status: string }[] }>(`/v1/clients/${clientId}/invites`, {
          contactIds: halves[i].map((c) => c.id),
        }),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.results.every((r) => r.status === 'sent')).toBe(true);
    }
    await until('one email per contact', async () => (await inbox()).size >= CONTACTS);
    await sleep(3000); // a second copy would come now
    const emails = await inbox();
    expect(emails.size).toBe(CONTACTS);
    expect([...emails.values()].filter((subjects) => subjects.length !== 1)).toEqual([]);
    // Published once: raw messages, not deduplicated (no process crashed, so no redelivery is excused).
    const sent = tap.messages.filter((m) => (m.topic as Topic) === Topic.InviteSent && m.value.firmId === firmId);
    expect(sent).toHaveLength(CONTACTS);
    expect(new Set(sent.map((m) => (m.value.data as InviteSentData).contactId)).size).toBe(CONTACTS);
  }, 180_000);

  it('sends one reminder per due reminder with both notifications processes sweeping', async () => {
    // Four days later: the day-3 reminder of every invite is due, for both sweeps at once.
    await restartBoth('notifications', { CLOCK_OFFSET_MS: String(4 * DAY_MS) });
    const reminders = (emails: Map<string, string[]>) =>
      [...emails.values()].map((subjects) => subjects.filter((s) => s.startsWith('Reminder')).length);
    await until('a reminder per contact', async () => reminders(await inbox()).filter((n) => n > 0).length >= CONTACTS);
    await sleep(3000);
    const emails = await inbox();
    expect(reminders(emails)).toEqual(Array.from({ length: CONTACTS }, () => 1));
    expect([...emails.values()].every((subjects) => subjects.length === 2)).toBe(true);
  }, 180_000);

  it('announces each expired invite once with both invites processes sweeping', async () => {
    await restartBoth('invites', { CLOCK_OFFSET_MS: String(31 * DAY_MS) });
    const expired = () =>
      tap.messages.filter((m) => (m.topic as Topic) === Topic.InviteExpired && m.value.firmId === firmId);
    await until('InviteExpired for every invite', async () => expired().length >= CONTACTS);
    await sleep(3000);
    const perInvite = new Map<string, number>();
    for (const m of expired()) {
      const inviteId = (m.value.data as { inviteId: string }).inviteId;
      perInvite.set(inviteId, (perInvite.get(inviteId) ?? 0) + 1);
    }
    expect(perInvite.size).toBe(CONTACTS);
    expect([...perInvite.values()].filter((n) => n !== 1)).toEqual([]);
  }, 180_000);

  it('sweeps each orphaned upload once, without error, with both files processes sweeping', async () => {
    const files = mongo.db(`${env.STACK_PREFIX}files`).collection('files');
    const stale = new Date(Date.now() - 3600_000);
    const orphans = Array.from({ length: ORPHANS }, () => {
      const id = randomUUID();
      return { id, key: `firms/${firmId}/files/${id}` };
    });
    const removedBefore = removedIn(stack.get('files').logs) + removedIn(replicas.get('files')?.logs ?? '');
    // Both sweeps run every half second (UPLOAD_STALE_SECONDS=2): they race for the same orphans.
    for (const { key } of orphans) await minio.putObject(bucket, key, Buffer.from('half an upload'));
    await files.insertMany(
      orphans.map(({ id, key }) => ({
        _id: id as never,
        firmId,
        clientId,
        status: 'uploading',
        objectKey: key,
        name: `${id}.bin`,
        contentType: 'application/octet-stream',
        size: 0,
        sha256: null,
        sharedWith: [],
        uploadedBy: 'staff-1',
        uploaderKind: 'staff',
        requestId: null,
        heartbeatAt: stale,
        pendingEvents: [],
        outboxPending: false,
        createdAt: stale,
        updatedAt: stale,
      })),
    );
    await until('the orphans swept', async () => (await files.countDocuments({ firmId, status: 'uploading' })) === 0);
    await sleep(1500);
    const left: string[] = [];
    for await (const item of minio.listObjects(bucket, `firms/${firmId}/files/`, true)) left.push(String(item.name));
    expect(left.filter((name) => orphans.some((o) => o.key === name))).toEqual([]);
    const removed = removedIn(stack.get('files').logs) + removedIn(replicas.get('files')?.logs ?? '') - removedBefore;
    expect(removed).toBe(ORPHANS);
    const failures = [stack.get('files').logs, replicas.get('files')?.logs ?? '']
      .join('\n')
      .split('\n')
      .filter((line) => line.includes('background pass failed'));
    expect(failures).toEqual([]);
  }, 120_000);
});

/** The orphans a files process reported removed (`removed orphaned uploads` lines). */
function removedIn(logs: string): number {
  return logs
    .split('\n')
    .filter((line) => line.includes('removed orphaned uploads'))
    .reduce((sum, line) => sum + Number(/"removed":(\d+)/.exec(line)?.[1] ?? 0), 0);
}
