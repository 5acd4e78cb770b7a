import { createEvent, Topic } from '@cp/contracts';
import { NotificationsTestStack, PrivateSmtpServer } from '@cp/testing';
import { randomUUID } from 'node:crypto';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Every email arrives once: redelivered events send nothing more, an SMTP outage delays but
// loses nothing, and a recipient the server refuses (5xx) fails alone.
describe('email delivery', () => {
  // Our own SMTP server, refusing recipients that do not start with "ok-".
  const smtp = PrivateSmtpServer.forTestStack('^ok-');
  const notifications = new NotificationsTestStack(smtp);
  const { mailbox, publisher } = notifications;
  const firmId = `firm-${randomUUID()}`;

  beforeAll(() => notifications.start(), 120_000);
  afterAll(() => notifications.stop());

  const emailRequest = (to: string) => notifications.emailRequest(firmId, { to });
  const publish = (event: ReturnType<typeof emailRequest>, times = 1) => publisher.publish([event], times);
  const deliveries = (inviteId: string) => notifications.deliveries(firmId, `inviteId=${inviteId}`);

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

  const restartNotifications = (clockOffsetDays: number) =>
    notifications.restart({ CLOCK_OFFSET_MS: String(clockOffsetDays * 86_400_000), REMINDER_SWEEP_MS: '1000' });

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
    await publisher.publish([acceptance]);
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
