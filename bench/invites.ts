/**
 * Invites through the whole path — gateway bulk invite → invites (durable, outbox) → Kafka →
 * notifications (delivery record) → SMTP → the inbox of a Mailpit of the bench's own — against a
 * bare pooled nodemailer loop sending the same number of emails to the same server.
 */
import { GatewayClient, seedContacts } from '@cp/testing';
import { MongoClient } from 'mongodb';
import { createTransport } from 'nodemailer';
import { performance } from 'node:perf_hooks';
import { log, percentile, round, seconds, sleep } from './support';

export interface InviteBenchContext {
  staff: GatewayClient;
  firmId: string;
  mongo: MongoClient;
  mongoUrl: string;
  prefix: string;
  mailApi: string;
  smtpUrl: string;
  poolSize: number;
  run: string;
}

interface MailpitMessage {
  Created: string;
  To: { Address: string }[];
}

async function inboxCount(mailApi: string, domain: string): Promise<number> {
  const res = await fetch(`${mailApi}/api/v1/search?query=${encodeURIComponent(`to:"@${domain}"`)}&limit=1`);
  return ((await res.json()) as { messages_count: number }).messages_count;
}

/** Waits until `count` emails to the domain are in the inbox; answers when that was seen. */
export async function inboxReaches(mailApi: string, domain: string, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const arrived = await inboxCount(mailApi, domain);
    if (arrived >= count) return performance.now();
    if (arrived !== last) [last, lastChange] = [arrived, Date.now()];
    if (Date.now() > deadline || Date.now() - lastChange > 180_000)
      throw new Error(`only ${arrived} of ${count} emails to ${domain} arrived`);
    await sleep(200);
  }
}

/** Every email to the domain with the time the SMTP server accepted it. */
async function inbox(mailApi: string, domain: string): Promise<MailpitMessage[]> {
  const all: MailpitMessage[] = [];
  for (let start = 0; ; start += 1000) {
    const query = encodeURIComponent(`to:"@${domain}"`);
    const res = await fetch(`${mailApi}/api/v1/search?query=${query}&start=${start}&limit=1000`);
    const page = ((await res.json()) as { messages: MailpitMessage[] }).messages;
    all.push(...page);
    if (page.length < 1000) return all;
  }
}

/** The bare loop: the same number of emails of the same size through a pool of the same size. */
export async function bareNodemailer(ctx: InviteBenchContext, count: number): Promise<number> {
  const url = new URL(ctx.smtpUrl);
  const transport = createTransport({
    pool: true,
    maxConnections: ctx.poolSize,
    maxMessages: Infinity,
    host: url.hostname,
    port: Number(url.port),
  });
  const domain = `bare${count}-${ctx.run}.bench.example`;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: count }, (_, i) =>
        transport.sendMail({
          from: 'portal@client-portal.test',
          to: `c${i}@${domain}`,
          subject: 'Bench Firm invited you to their secure client portal',
          html: `<p>Hello Contact${i},</p>${'<p>Bench Owner at Bench Firm has invited you to their secure client portal.</p>'.repeat(4)}`,
          text: `Hello Contact${i},\n\n${'Bench Owner at Bench Firm has invited you to their secure client portal.\n'.repeat(4)}`,
        }),
      ),
    );
  } finally {
    transport.close();
  }
  await inboxReaches(ctx.mailApi, domain, count, 900_000);
  return seconds(started);
}

async function newClient(ctx: InviteBenchContext, name: string): Promise<string> {
  const res = await ctx.staff.post<{ id: string }>('/v1/clients', { name, kind: 'business' });
  if (res.status !== 201) throw new Error(`client: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Bulk invites of up to 1,000 contacts each (the API's limit), sent one after another. */
async function inviteAll(ctx: InviteBenchContext, clientId: string, contactIds: string[]): Promise<void> {
  for (let i = 0; i < contactIds.length; i += 1000) {
    const answered = performance.now();
    const res = await ctx.staff.post<{ results: { status: string }[] }>(`/v1/clients/${clientId}/invites`, {
      contactIds: contactIds.slice(i, i + 1000),
      message: 'Welcome to our portal.',
    });
    const sent = res.body.results?.filter((r) => r.status === 'sent').length;
    if (res.status !== 200 || sent !== Math.min(1000, contactIds.length - i))
      throw new Error(`bulk invite: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    log(`  bulk of ${sent} answered in ${seconds(answered).toFixed(2)} s`);
  }
}

/** Request → last email in the inbox, for `count` contacts of a new client. */
/** `count` contacts of the client stored straight into the contacts database (the API would take minutes). */
async function seededIds(ctx: InviteBenchContext, clientId: string, count: number, domain: string): Promise<string[]> {
  const seeded = await seedContacts(ctx.mongoUrl, `${ctx.prefix}contacts`, {
    firmId: ctx.firmId,
    clientId,
    count,
    label: 'bench',
    domain,
  });
  return seeded.map((c) => c.id);
}

export async function wholePath(
  ctx: InviteBenchContext,
  count: number,
): Promise<{ seconds: number; clientId: string }> {
  const clientId = await newClient(ctx, `Invites ${count}`);
  const domain = `path${count}-${ctx.run}.bench.example`;
  const ids = await seededIds(ctx, clientId, count, domain);
  const started = performance.now();
  await inviteAll(ctx, clientId, ids);
  await inboxReaches(ctx.mailApi, domain, count, 3_600_000);
  return { seconds: seconds(started), clientId };
}

/**
 * A steady 100 invites a second for 60 s (one bulk of 100 each second, not waiting for the
 * previous answer); for each email, the time from its InviteSent (the invite's record, written
 * with the event) to the SMTP server accepting it (Mailpit's receive time).
 */
export async function inviteLag(ctx: InviteBenchContext, perSecond: number, duration: number) {
  const clientId = await newClient(ctx, 'Invite lag');
  const domain = `lag-${ctx.run}.bench.example`;
  const count = perSecond * duration;
  const ids = await seededIds(ctx, clientId, count, domain);
  const started = performance.now();
  const requests: Promise<unknown>[] = [];
  for (let s = 0; s < duration; s++) {
    const wait = started + s * 1000 - performance.now();
    if (wait > 0) await sleep(wait);
    requests.push(
      ctx.staff.post(`/v1/clients/${clientId}/invites`, { contactIds: ids.slice(s * perSecond, (s + 1) * perSecond) }),
    );
  }
  await Promise.all(requests);
  await inboxReaches(ctx.mailApi, domain, count, 1_800_000);
  const invites = await ctx.mongo
    .db(`${ctx.prefix}invites`)
    .collection<{ email: string; createdAt: Date }>('invites')
    .find({ firmId: ctx.firmId, clientId }, { projection: { email: 1, createdAt: 1 } })
    .toArray();
  const sentAt = new Map(invites.map((i) => [i.email, i.createdAt.getTime()]));
  const lags = (await inbox(ctx.mailApi, domain)).flatMap((m) => {
    const at = sentAt.get(m.To[0]?.Address.toLowerCase() ?? '');
    return at === undefined ? [] : [new Date(m.Created).getTime() - at];
  });
  if (lags.length !== count) throw new Error(`lag: ${lags.length} of ${count} emails matched their invite`);
  return { p99_ms: round(percentile(lags, 99), 0), p50_ms: round(percentile(lags, 50), 0) };
}
