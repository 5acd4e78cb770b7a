import { Topic } from '@cp/contracts';
import { internal, inviteTokenIn, KafkaTap, Mailbox, TestStack } from '@cp/testing';
import { randomUUID } from 'node:crypto';

// Invites and notifications on their internal APIs, with the real SMTP server and Kafka:
// the email arrives with a working link, the link survives previews, and is single-use.
async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('invite → email → preview → accept → login', () => {
  const stack = new TestStack();
  const mailbox = new Mailbox();
  const tap = new KafkaTap();
  const firmId = `firm-${randomUUID()}`;
  const firmSlug = `slug-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    await tap.start(Object.values(Topic));
    await stack.start(['invites', 'notifications']);
  }, 120_000);

  afterAll(async () => {
    await tap.stop();
    await stack.stopAll();
  });

  const invitesUrl = () => `${stack.url('invites')}/firms/${firmId}/invites`;

  async function invite(email: string, message = 'See you <b>soon</b>') {
    const contactId = randomUUID();
    const res = await internal<{ results: { status: string; inviteId: string }[] }>('POST', invitesUrl(), {
      body: {
        targets: [{ contactId, clientId: 'client-1', email, contactFirstName: 'Ada', contactLastName: 'Lovelace' }],
        firmName: 'Lovelace & Co',
        firmSlug,
        inviterId: 'staff-1',
        inviterName: 'Charles Babbage',
        message,
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.results[0].status).toBe('sent');
    return { contactId, inviteId: res.body.results[0].inviteId };
  }

  it('sends the onboarding email, previews without using the link, accepts once, signs in', async () => {
    const email = `ada-${randomUUID()}@example.com`;
    const { contactId, inviteId } = await invite(email);

    const [mail] = await mailbox.waitFor(email);
    expect(mail.Subject).toBe('Lovelace & Co invited you to their secure client portal');
    expect(mail.HTML).toContain('Charles Babbage');
    expect(mail.HTML).toContain('See you &lt;b&gt;soon&lt;/b&gt;');
    expect(mail.HTML).toContain('Create Account');
    expect(mail.Text).toContain('http://portal.test/invite/');
    const token = inviteTokenIn(mail.Text);
    expect(token.length).toBeGreaterThanOrEqual(40);

    for (let i = 0; i < 3; i++) {
      const preview = await internal('GET', `${stack.url('invites')}/portal/invites/${token}`);
      expect(preview.body).toMatchObject({
        valid: true,
        email,
        firm: { name: 'Lovelace & Co', slug: firmSlug },
        reason: null,
      });
    }

    const weak = await internal('POST', `${stack.url('invites')}/portal/invites/accept`, {
      body: { token, password: email },
    });
    expect(weak.status).toBe(400);
    const accepted = await internal('POST', `${stack.url('invites')}/portal/invites/accept`, {
      body: { token, password: 'a long enough passphrase' },
    });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ contactId, email, firmSlug });

    const again = await internal('POST', `${stack.url('invites')}/portal/invites/accept`, {
      body: { token, password: 'a long enough passphrase' },
    });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('INVITE_INVALID');

    const login = await internal('POST', `${stack.url('invites')}/portal/auth/verify-password`, {
      body: { firm: firmSlug, email, password: 'a long enough passphrase' },
    });
    expect(login.status).toBe(200);
    const wrong = await internal('POST', `${stack.url('invites')}/portal/auth/verify-password`, {
      body: { firm: firmSlug, email, password: 'not the passphrase' },
    });
    const unknown = await internal('POST', `${stack.url('invites')}/portal/auth/verify-password`, {
      body: { firm: firmSlug, email: `nobody-${randomUUID()}@example.com`, password: 'not the passphrase' },
    });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.detail).toBe(unknown.body.detail);

    const events = await tap.waitFor(
      (m) => m.key === contactId && [Topic.InviteAccepted, Topic.PortalLogin].includes(m.topic as Topic),
      3,
    );
    expect(events.map((e) => e.value.type)).toEqual(expect.arrayContaining(['InviteAccepted', 'PortalLogin']));
    await tap.waitFor(
      (m) => m.value.type === 'NotificationSent' && (m.value.data as { inviteId?: string }).inviteId === inviteId,
    );

    // The invite shows its email went out; the delivery log has it.
    await eventually(async () => {
      const list = await internal<{ items: { id: string; lastEmail: { status: string } | null }[] }>(
        'GET',
        `${invitesUrl()}?contactId=${contactId}`,
      );
      return list.body.items[0]?.lastEmail?.status === 'sent';
    });
    const log = await internal<{
      items: { inviteId: string; kind: string; status: string; to: string; attempts: number }[];
    }>('GET', `${stack.url('notifications')}/firms/${firmId}/notifications?inviteId=${inviteId}`);
    // The invite's own email, once; the accept also queued the inviter's notice (its own kind).
    expect(log.body.items.filter((d) => d.kind === 'invite')).toEqual([
      expect.objectContaining({ inviteId, status: 'sent', to: email, attempts: 1 }),
    ]);
    expect(JSON.stringify(log.body)).not.toContain('sealed');

    // No message on any topic carries the link's secret.
    const secret = token.split('.')[1];
    expect(tap.messages.filter((m) => m.raw.includes(secret))).toEqual([]);
    for (const app of ['invites', 'notifications'] as const) expect(stack.get(app).logs).not.toContain(secret);
  });

  it('resend kills the old link; revoke answers INVITE_REVOKED', async () => {
    const email = `bob-${randomUUID()}@example.com`;
    const { inviteId } = await invite(email, '');
    const [first] = await mailbox.waitFor(email);
    const oldToken = inviteTokenIn(first.Text);

    const resent = await internal('POST', `${invitesUrl()}/${inviteId}/resend`, {
      body: { inviterId: 'staff-2', inviterName: 'Grace Hopper' },
    });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: 'pending', sendCount: 2 });
    const mails = await mailbox.waitFor(email, 2);
    const newToken = inviteTokenIn(mails.find((m) => !m.Text.includes(oldToken))!.Text);

    const old = await internal('GET', `${stack.url('invites')}/portal/invites/${oldToken}`);
    expect(old.body).toMatchObject({ valid: false, reason: 'unknown' });
    expect((await internal('GET', `${stack.url('invites')}/portal/invites/${newToken}`)).body).toMatchObject({
      valid: true,
    });

    const revoked = await internal('POST', `${invitesUrl()}/${inviteId}/revoke`);
    expect(revoked.body).toMatchObject({ status: 'revoked' });
    const refused = await internal('POST', `${stack.url('invites')}/portal/invites/accept`, {
      body: { token: newToken, password: 'a long enough passphrase' },
    });
    expect(refused.status).toBe(410);
    expect(refused.body.code).toBe('INVITE_REVOKED');
  });
});
