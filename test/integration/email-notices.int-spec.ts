import { createEvent, EventData, OutboxEvent, Topic } from '@cp/contracts';
import { internal, NotificationsTestStack } from '@cp/testing';
import { randomUUID } from 'node:crypto';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY_MS = 86_400_000;

// Staff notices (accepted, contact upload), branding in every email, and each firm's reminder
// schedule, against the notifications service, real Kafka and the real Mailpit. Events are
// published here as the invites and files services publish them: duplicated and out of order.
describe('staff notices, branding and reminder schedules', () => {
  const notifications = new NotificationsTestStack();
  const { mailbox, publisher } = notifications;
  const run = randomUUID().slice(0, 8);
  const firmId = `firm-notices-${run}`;
  const branding = { logoUrl: 'https://notices.example/logo.png?a=1&b=2', brandColor: '#aa3355' };

  beforeAll(() => notifications.start(), 120_000);
  afterAll(() => notifications.stop());

  const address = (who: string) => `${who}-${randomUUID().slice(0, 8)}@notices-${run}.example.com`;

  function request(to: string, inviterEmail: string, firm = firmId) {
    return notifications.emailRequest(firm, {
      to,
      contactFirstName: 'Grace',
      contactLastName: 'Hopper',
      firmName: 'Notice Firm',
      firmBranding: branding,
      inviterId: randomUUID(),
      inviterEmail,
      inviterName: 'Charles Staff',
    });
  }

  function event<T extends Topic>(topic: T, contactId: string, data: EventData<T>, firm = firmId): OutboxEvent<T> {
    return createEvent({ topic, firmId: firm, correlationId: `it-${run}`, key: contactId, data });
  }

  const uploaded = (contactId: string, name: string, uploaderKind: 'contact' | 'staff' = 'contact') =>
    event(Topic.FileUploaded, contactId, {
      fileId: randomUUID(),
      clientId: 'client-1',
      uploadedBy: uploaderKind === 'contact' ? contactId : randomUUID(),
      uploaderKind,
      name,
      size: 1536,
      requestId: null,
    });

  const log = (query: string) => notifications.deliveries(firmId, query);

  it('tells the inviter once when the contact accepts, however often the event comes', async () => {
    const inviter = address('inviter');
    const invite = request(address('contact'), inviter);
    const { inviteId, contactId } = invite.envelope.data;
    await publisher.publish([invite]);
    await mailbox.waitFor(invite.envelope.data.to);

    await publisher.publish(
      [
        event(Topic.InviteAccepted, contactId, {
          inviteId,
          contactId,
          clientId: 'c',
          acceptedAt: new Date().toISOString(),
        }),
      ],
      3,
    );
    const [notice] = await mailbox.waitFor(inviter);
    expect(notice.Subject).toBe('Grace Hopper accepted your portal invitation');
    expect(notice.Text).toContain('Hello Charles Staff');
    expect(notice.Text).toContain('Notice Firm client portal');
    await sleep(3000);
    expect(await mailbox.to(inviter)).toHaveLength(1);
    expect(await log(`contactId=${contactId}`)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'invite', status: 'sent' }),
        expect.objectContaining({ kind: 'accepted-notice', status: 'sent', to: inviter, inviteId }),
      ]),
    );
  }, 120_000);

  it('tells the inviter of a contact upload once, even when the upload is seen before the invite', async () => {
    const inviter = address('inviter');
    const invite = request(address('contact'), inviter);
    const { contactId } = invite.envelope.data;
    const upload = uploaded(contactId, 'W-2 <2025>.pdf');
    // The upload first: the notice waits (held) until the inviter is known.
    await publisher.publish([upload], 2);
    await publisher.publish([uploaded(contactId, 'staff-only.pdf', 'staff')]);
    const deadline = Date.now() + 60_000;
    while (!(await log(`contactId=${contactId}`)).some((d) => d.kind === 'upload-notice')) {
      if (Date.now() > deadline) throw new Error('the upload notice was never recorded');
      await sleep(250);
    }
    expect(await mailbox.to(inviter)).toHaveLength(0);

    await publisher.publish([invite]);
    const [notice] = await mailbox.waitFor(inviter);
    expect(notice.Subject).toBe('Grace Hopper uploaded W-2 <2025>.pdf');
    expect(notice.Text).toContain('uploaded W-2 <2025>.pdf (1.5 KB) to the Notice Firm client portal');
    expect(notice.HTML).toContain('W-2 &lt;2025&gt;.pdf');
    expect(notice.HTML).not.toContain('<2025>');
    await publisher.publish([upload]);
    await sleep(3000);
    // One notice: the contact's upload once (delivered three times); nothing for the staff upload.
    expect(await mailbox.to(inviter)).toHaveLength(1);
  }, 120_000);

  // Races (README "Reliability"): the accept can overtake the invite command it follows, and two
  // sends by different staff can arrive in either order.
  it('tells the inviter of an accept seen before the invite command, once the command arrives', async () => {
    const inviter = address('inviter');
    const invite = request(address('contact'), inviter);
    const { inviteId, contactId } = invite.envelope.data;
    const accepted = event(Topic.InviteAccepted, contactId, {
      inviteId,
      contactId,
      clientId: 'c',
      acceptedAt: new Date().toISOString(),
    });
    await publisher.publish([accepted]);
    const deadline = Date.now() + 60_000;
    while (!(await log(`contactId=${contactId}`)).some((d) => d.kind === 'accepted-notice')) {
      if (Date.now() > deadline) throw new Error('the accepted notice was never recorded');
      await sleep(250);
    }
    expect(await mailbox.to(inviter)).toHaveLength(0); // held: nobody to tell yet

    await publisher.publish([invite]);
    const [notice] = await mailbox.waitFor(inviter);
    expect(notice.Subject).toBe('Grace Hopper accepted your portal invitation');
    await publisher.publish([accepted]);
    await sleep(3000);
    expect(await mailbox.to(inviter)).toHaveLength(1);
  }, 120_000);

  it('tells the latest sender when two sends arrive in the reverse order', async () => {
    const first = address('first-sender');
    const latest = address('latest-sender');
    const to = address('contact');
    const older = request(to, first);
    const { inviteId, contactId } = older.envelope.data;
    older.envelope.occurredAt = new Date(Date.now() - 10 * 60_000).toISOString();
    const newer = notifications.emailRequest(firmId, {
      ...older.envelope.data,
      sendNumber: 2,
      inviterId: randomUUID(),
      inviterEmail: latest,
      inviterName: 'Latest Staff',
    });
    await publisher.publish([newer, older]);
    await mailbox.waitFor(to, 2);
    await publisher.publish([uploaded(contactId, 'late.pdf')]);
    const [notice] = await mailbox.waitFor(latest);
    expect(notice.Text).toContain('Hello Latest Staff');
    await sleep(3000);
    expect(await mailbox.to(first)).toHaveLength(0);
    expect(inviteId).toBe(newer.envelope.data.inviteId);
  }, 120_000);

  it("carries the firm's name, logo and colour in every email", async () => {
    const invite = request(address('contact'), address('inviter'));
    await publisher.publish([invite]);
    const [email] = await mailbox.waitFor(invite.envelope.data.to);
    expect(email.HTML).toContain('<img src="https://notices.example/logo.png?a=1&amp;b=2" alt="Notice Firm"');
    expect(email.HTML).toContain('<h2 style="color:#aa3355">Notice Firm</h2>');
    expect(email.HTML).toContain('background:#aa3355');
    expect(email.Text.trimStart().split(/\r?\n/)[0]).toBe('Notice Firm');

    const plain = notifications.emailRequest(firmId, { to: address('plain') });
    await publisher.publish([plain]);
    const [unbranded] = await mailbox.waitFor(plain.envelope.data.to);
    expect(unbranded.HTML).not.toContain('<img');
    expect(unbranded.HTML).toContain('<h2 style="color:#1f4b99">Delivery Firm</h2>');
  }, 120_000);

  const restartWithClock = (offsetDays: number) =>
    notifications.restart({ CLOCK_OFFSET_MS: String(offsetDays * DAY_MS), REMINDER_SWEEP_MS: '1000' });

  const settings = (firm: string, body?: object) =>
    internal<{ enabled: boolean; days: number[] }>(
      body ? 'PUT' : 'GET',
      `${notifications.url}/firms/${firm}/settings/reminders`,
      body ? { body } : {},
    );

  it("reminds on each firm's own days, not when turned off, never twice, not after revoke", async () => {
    const early = `firm-early-${run}`; // reminders after 1 and 2 days
    const off = `firm-off-${run}`; // reminders turned off
    const standard = `firm-default-${run}`; // never set: 3 and 7 days
    expect((await settings(standard)).body).toEqual({ enabled: true, days: [3, 7] });
    expect((await settings(early, { enabled: true, days: [2, 1] })).body).toEqual({ enabled: true, days: [1, 2] });
    expect((await settings(off, { enabled: false, days: [3, 7] })).status).toBe(200);
    expect((await settings(off, { enabled: true, days: [0] })).status).toBe(400);
    expect((await settings(off, { enabled: true, days: [] })).status).toBe(400);

    const invites = {
      early: request(address('early'), address('inviter'), early),
      earlyRevoked: request(address('early-revoked'), address('inviter'), early),
      off: request(address('off'), address('inviter'), off),
      standard: request(address('standard'), address('inviter'), standard),
    };
    await publisher.publish(Object.values(invites));
    for (const i of Object.values(invites)) await mailbox.waitFor(i.envelope.data.to);
    const { inviteId, contactId } = invites.earlyRevoked.envelope.data;
    await publisher.publish([event(Topic.InviteRevoked, contactId, { inviteId, contactId }, early)]);
    await sleep(1500);
    const count = async (i: OutboxEvent<Topic.InviteEmailRequested>) => (await mailbox.to(i.envelope.data.to)).length;

    await restartWithClock(1.5);
    await mailbox.waitFor(invites.early.envelope.data.to, 2, 120_000);
    await sleep(4000);
    expect(await count(invites.early)).toBe(2);
    expect(await count(invites.earlyRevoked)).toBe(1);
    expect(await count(invites.off)).toBe(1);
    expect(await count(invites.standard)).toBe(1);

    await restartWithClock(3.5);
    await mailbox.waitFor(invites.standard.envelope.data.to, 2, 120_000);
    await mailbox.waitFor(invites.early.envelope.data.to, 3, 120_000);
    await sleep(4000);
    expect(await count(invites.early)).toBe(3); // day 1 and day 2, once each
    expect(await count(invites.standard)).toBe(2); // day 3
    expect(await count(invites.off)).toBe(1);
    expect(await count(invites.earlyRevoked)).toBe(1);
    const reminder = (await mailbox.waitFor(invites.standard.envelope.data.to, 2)).find((m) =>
      m.Subject.startsWith('Reminder'),
    );
    expect(reminder?.HTML).toContain('color:#aa3355');

    await restartWithClock(0);
  }, 400_000);
});
