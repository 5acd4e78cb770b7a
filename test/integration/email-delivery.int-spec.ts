import { keyFromBase64, seal } from '@cp/auth';
import { createEvent, Topic } from '@cp/contracts';
import { internal, Mailbox, PrivateSmtpServer, TestStack, testStackEnv } from '@cp/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every email arrives once: redelivered events send nothing more, an SMTP outage delays but
// loses nothing, and a recipient the server refuses (5xx) fails alone.
describe('email delivery', () => {
  const env = testStackEnv();
  const stack = new TestStack(env);
  // Our own SMTP server, refusing recipients that do not start with "ok-".
  const smtp = PrivateSmtpServer.besideTestStack('^ok-');
  const mailbox = new Mailbox(smtp.apiUrl);
  const firmId = `firm-${randomUUID()}`;
  const producer: Producer = new Kafka({
    clientId: 'test-publisher',
    brokers: ['127.0.0.1:9092'],
    logLevel: logLevel.NOTHING,
  }).producer();

  beforeAll(async () => {
    await smtp.start();
    await stack.start(['notifications'], { SMTP_URL: smtp.smtpUrl });
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer.disconnect();
    await stack.stopAll();
    await smtp.stop();
  });

  function emailRequest(to: string, sendNumber = 1) {
    const inviteId = randomUUID();
    const contactId = randomUUID();
    return createEvent({
      topic: Topic.InviteEmailRequested,
      firmId,
      correlationId: `it-${randomUUID()}`,
      key: contactId,
      data: {
        inviteId,
        contactId,
        sendNumber,
        to,
        contactFirstName: 'Ada',
        contactLastName: 'Lovelace',
        firmName: 'Delivery Firm',
        inviterName: 'Staff',
        message: null,
        templateId: null,
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        sealedLink: seal(keyFromBase64(env.INVITE_LINK_KEY as string), `http://portal.test/invite/${inviteId}.secret`),
      },
    });
  }

  const publish = (event: ReturnType<typeof emailRequest>, times = 1) =>
    producer.send({
      topic: event.topic,
      messages: Array.from({ length: times }, () => ({ key: event.key, value: JSON.stringify(event.envelope) })),
    });

  async function deliveries(inviteId: string) {
    const res = await internal<{ items: { status: string; attempts: number; lastError: string | null }[] }>(
      'GET',
      `${stack.url('notifications')}/firms/${firmId}/notifications?inviteId=${inviteId}`,
    );
    return res.body.items;
  }

  it('sends one email for an event delivered three times', async () => {
    const to = `ok-${randomUUID()}@example.com`;
    const event = emailRequest(to);
    await publish(event, 3);
    await mailbox.waitFor(to);
    await sleep(2000);
    expect(await mailbox.to(to)).toHaveLength(1);
    expect(await deliveries(event.envelope.data.inviteId)).toEqual([
      expect.objectContaining({ status: 'sent', attempts: 1 }),
    ]);
  });

  it('queues while the SMTP server is down and sends each email once when it returns', async () => {
    await smtp.stop();
    const recipients = Array.from({ length: 5 }, () => `ok-${randomUUID()}@example.com`);
    const events = recipients.map((to) => emailRequest(to));
    for (const e of events) await publish(e);
    // Attempts fail while the server is down; nothing is lost.
    const deadline = Date.now() + 60_000;
    while (!(await deliveries(events[0].envelope.data.inviteId)).some((d) => d.lastError)) {
      if (Date.now() > deadline) throw new Error('no failed attempt recorded');
      await sleep(250);
    }
    expect((await deliveries(events[0].envelope.data.inviteId))[0].status).toBe('queued');

    await smtp.start();
    for (const to of recipients) await mailbox.waitFor(to, 1, 90_000);
    await sleep(1500);
    for (const to of recipients) expect(await mailbox.to(to)).toHaveLength(1);
  }, 150_000);

  it('fails at once the one recipient the server refuses with 5xx; the others are sent', async () => {
    const refused = emailRequest(`bounce-${randomUUID()}@example.com`);
    const fine = emailRequest(`ok-${randomUUID()}@example.com`);
    await publish(refused);
    await publish(fine);
    await mailbox.waitFor(fine.envelope.data.to);
    const deadline = Date.now() + 20_000;
    let log = await deliveries(refused.envelope.data.inviteId);
    while (log[0]?.status !== 'failed' && Date.now() < deadline) {
      await sleep(250);
      log = await deliveries(refused.envelope.data.inviteId);
    }
    expect(log).toEqual([
      expect.objectContaining({ status: 'failed', attempts: 1, lastError: expect.stringContaining('550') }),
    ]);
    expect(await deliveries(fine.envelope.data.inviteId)).toEqual([expect.objectContaining({ status: 'sent' })]);
  });

  async function restartNotifications(clockOffsetDays: number): Promise<void> {
    await stack.get('notifications').stop();
    stack.get('notifications').start({
      SMTP_URL: smtp.smtpUrl,
      CLOCK_OFFSET_MS: String(clockOffsetDays * 86_400_000),
      REMINDER_SWEEP_MS: '1000',
    });
    await stack.get('notifications').waitReady();
  }

  it('reminds a pending invite after 3 and 7 days, once each; an accepted invite gets none', async () => {
    const pending = emailRequest(`ok-pending-${randomUUID()}@example.com`);
    const accepted = emailRequest(`ok-accepted-${randomUUID()}@example.com`);
    await publish(pending);
    await publish(accepted);
    await mailbox.waitFor(pending.envelope.data.to);
    await mailbox.waitFor(accepted.envelope.data.to);
    const { inviteId, contactId } = accepted.envelope.data;
    const acceptance = createEvent({
      topic: Topic.InviteAccepted,
      firmId,
      correlationId: 'it',
      key: contactId,
      data: { inviteId, contactId, clientId: 'c', acceptedAt: new Date().toISOString() },
    });
    await producer.send({
      topic: acceptance.topic,
      messages: [{ key: contactId, value: JSON.stringify(acceptance.envelope) }],
    });
    await sleep(1500);

    await restartNotifications(3.5);
    const afterThreeDays = await mailbox.waitFor(pending.envelope.data.to, 2);
    expect(afterThreeDays.map((m) => m.Subject)).toContain('Reminder: your Delivery Firm client portal invitation');
    await sleep(3000);
    expect(await mailbox.to(pending.envelope.data.to)).toHaveLength(2);

    await restartNotifications(8);
    await mailbox.waitFor(pending.envelope.data.to, 3);
    await sleep(3000);
    expect(await mailbox.to(pending.envelope.data.to)).toHaveLength(3);
    expect(await mailbox.to(accepted.envelope.data.to)).toHaveLength(1);

    await restartNotifications(0);
  }, 120_000);
});
