/**
 * Emails per second for 1,000 invites through the whole path — gateway bulk invite → invites
 * (durable, outbox) → Kafka → notifications (delivery record, idempotency key) → SMTP → the
 * Mailpit inbox — and for the same 1,000 emails sent by a bare pooled nodemailer loop to the same
 * server, in one run. Needs `npm run infra:up` and a build. Run: npm run bench
 */
import { http, PrivateSmtpServer, seededContact, ServiceProcess, skipTopicHistory, testStackEnv } from '@cp/testing';
import { MongoClient } from 'mongodb';
import { createTransport } from 'nodemailer';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

const INVITES = 1000;
const PORTS = { gateway: 3190, contacts: 3191, invites: 3192, notifications: 3193 } as const;
const PREFIX = 'bench_email_';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
// A Mailpit of the bench's own (same server): other checkouts' services read the shared topics
// and could send copies of these emails to the shared one, which would count as arrivals.
const smtp = new PrivateSmtpServer(3195, 3196);

/** Waits until `count` messages matching the search are in the inbox; the time it happened. */
async function inboxReaches(query: string, count: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${smtp.apiUrl}/api/v1/search?query=${encodeURIComponent(query)}&limit=1`);
    const { messages_count: arrived } = (await res.json()) as { messages_count: number };
    if (arrived >= count) return performance.now();
    if (Date.now() > deadline) throw new Error(`only ${arrived} of ${count} emails arrived`);
    await sleep(250);
  }
}

async function seedContacts(mongoUrl: string, firmId: string, clientId: string, run: string): Promise<string[]> {
  const mongo = await MongoClient.connect(mongoUrl);
  try {
    const now = new Date();
    const contacts = Array.from({ length: INVITES }, (_, i) => {
      const email = `c${i}@path-${run}.bench.example`;
      return seededContact({ firmId, clientId, firstName: `Contact${i}`, lastName: 'Bench', email, at: now });
    });
    await mongo
      .db(`${PREFIX}contacts`)
      .collection('contacts')
      .insertMany(contacts as never[]);
    return contacts.map((c) => c._id);
  } finally {
    await mongo.close();
  }
}

async function wholePath(run: string): Promise<number> {
  const env = testStackEnv({
    STACK_PREFIX: PREFIX,
    LOG_LEVEL: 'warn',
    SMTP_URL: smtp.smtpUrl,
    INVITE_REMINDER_DAYS: '',
    CONTACTS_URL: `http://127.0.0.1:${PORTS.contacts}`,
    INVITES_URL: `http://127.0.0.1:${PORTS.invites}`,
    NOTIFICATIONS_URL: `http://127.0.0.1:${PORTS.notifications}`,
  });
  // This run's 1,000 invites, not a replay of what other runs left on the shared Kafka.
  await skipTopicHistory(['contacts', 'invites', 'notifications'].map((app) => `${PREFIX}${app}`));
  const services = (['contacts', 'invites', 'notifications'] as const).map((app) =>
    new ServiceProcess(app, { ...env, PORT: String(PORTS[app]) }).start(),
  );
  const gateway = new ServiceProcess('gateway', { ...env, PORT: String(PORTS.gateway) }).start();
  try {
    await Promise.all(services.map((s) => s.waitReady(120_000)));
    for (let i = 0; !(await fetch(`${gateway.url}/health`).catch(() => null))?.ok; i++) {
      if (i > 600) throw new Error('gateway not up');
      await sleep(200);
    }
    const email = `owner-${run}@bench.example`;
    const firm = await http<{ firm: { id: string }; accessToken: string }>('POST', `${gateway.url}/v1/firms`, {
      body: { firmName: `Bench ${run}`, name: 'Bench Owner', email, password: 'bench passphrase 0123' },
    });
    const token = firm.body.accessToken;
    const client = await http<{ id: string }>('POST', `${gateway.url}/v1/clients`, {
      token,
      body: { name: 'Bench client', kind: 'business' },
    });
    // Seeded straight into the contacts database (as bench/contacts-list does): 1,000 contacts
    // through the API take minutes on FerretDB and are not what this bench measures.
    const seeded = performance.now();
    const contactIds = await seedContacts(env.MONGO_URL as string, firm.body.firm.id, client.body.id, run);
    console.log(`seeded ${INVITES} contacts in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    const started = performance.now();
    const bulk = await http<{ results: { status: string }[] }>(
      'POST',
      `${gateway.url}/v1/clients/${client.body.id}/invites`,
      { token, body: { contactIds, message: 'Welcome to our portal.' } },
    );
    const answered = performance.now();
    if (bulk.status !== 200) throw new Error(`bulk invite: ${bulk.status} ${JSON.stringify(bulk.body)}`);
    const sent = bulk.body.results.filter((r) => r.status === 'sent').length;
    if (sent !== INVITES) throw new Error(`bulk invite: ${bulk.status}, ${sent} sent`);
    console.log(`bulk invite of ${INVITES} answered in ${((answered - started) / 1000).toFixed(1)} s`);
    const done = await inboxReaches(`to:"@path-${run}.bench.example"`, INVITES, 1_800_000);
    return (done - started) / 1000;
  } finally {
    await gateway.stop();
    await Promise.all(services.map((s) => s.stop()));
  }
}

async function bareNodemailer(run: string): Promise<number> {
  const url = new URL(smtp.smtpUrl);
  // As the notifications service configures it: a pool of 5 connections; the same size of email.
  const transport = createTransport({ pool: true, maxConnections: 5, host: url.hostname, port: Number(url.port) });
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: INVITES }, (_, i) =>
        transport.sendMail({
          from: 'portal@client-portal.test',
          to: `c${i}@bare-${run}.bench.example`,
          subject: 'Bench Firm invited you to their secure client portal',
          html: `<p>Hello Contact${i},</p>${'<p>Bench Owner at Bench Firm has invited you to their secure client portal.</p>'.repeat(4)}`,
          text: `Hello Contact${i},\n\n${'Bench Owner at Bench Firm has invited you to their secure client portal.\n'.repeat(4)}`,
        }),
      ),
    );
  } finally {
    transport.close();
  }
  const done = await inboxReaches(`to:"@bare-${run}.bench.example"`, INVITES, 600_000);
  return (done - started) / 1000;
}

async function main(): Promise<void> {
  const run = randomBytes(4).toString('hex');
  await smtp.start();
  let path: number;
  let bare: number;
  try {
    bare = await bareNodemailer(run);
    console.log(`bare nodemailer: ${bare.toFixed(1)} s`);
    path = await wholePath(run);
  } finally {
    await smtp.stop();
  }
  const rate = (seconds: number) => (INVITES / seconds).toFixed(1);
  console.log(
    `${INVITES} invites, whole path (gateway → invites → Kafka → notifications → SMTP → inbox): ${path.toFixed(1)} s, ${rate(path)} emails/s`,
  );
  console.log(
    `${INVITES} emails, bare pooled nodemailer loop (5 connections): ${bare.toFixed(1)} s, ${rate(bare)} emails/s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
