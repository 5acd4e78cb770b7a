import { createEvent, NewLinkRequestedData, Topic } from '@cp/contracts';
import {
  GatewayClient,
  GatewayTestStack,
  inviteTokenIn,
  KafkaTap,
  Mailbox,
  randomClientAddress,
  STAFF_PASSWORD,
  TestPublisher,
  testStackEnv,
  uniqueEmail,
} from '@cp/testing';
import { randomUUID } from 'node:crypto';

// "Ask for a new link" from an expired or revoked invite: the same 202 whatever the token, the
// inviting staff member emailed (never the contact), NewLinkRequested published, at most one
// email per invite per window, and the firm's contact row showing when the contact asked.
const DAY_MS = 24 * 3600 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ContactRow {
  portal: { state: string; newLinkRequestedAt: string | null };
}

describe('new-link requests through the gateway', () => {
  const stack = new GatewayTestStack(testStackEnv({ TRUST_PROXY_HOPS: '1', EXPIRY_SWEEP_MS: '1000' }));
  const mailbox = new Mailbox();
  const tap = new KafkaTap();
  const publisher = new TestPublisher();
  let gateway: GatewayClient;

  beforeAll(async () => {
    await tap.start([Topic.NewLinkRequested]);
    await publisher.connect();
    await stack.startBehindGateway(['contacts', 'invites', 'notifications']);
    gateway = new GatewayClient(stack.url('gateway'));
  }, 180_000);

  afterAll(async () => {
    await publisher.disconnect();
    await tap.stop();
    await stack.stopAll();
  });

  const anon = () => gateway.from(randomClientAddress());

  /** A firm whose colleague (not the owner) invites one contact; the invite's token and ids. */
  async function invitedContact() {
    const owner = await anon().signUpFirm();
    const ownerClient = anon().withToken(owner.accessToken);
    const colleagueEmail = uniqueEmail('inviter');
    const added = await ownerClient.post('/v1/users', {
      name: 'Ivy Inviter',
      email: colleagueEmail,
      password: STAFF_PASSWORD,
      role: 'staff',
    });
    expect(added.status).toBe(201);
    const colleague = anon().withToken((await anon().signIn(colleagueEmail)).accessToken);
    const client = await colleague.post<{ id: string }>('/v1/clients', { name: 'Link Household', kind: 'individual' });
    const email = uniqueEmail('contact');
    const contact = await colleague.post<{ id: string }>(`/v1/clients/${client.body.id}/contacts`, {
      firstName: 'Nora',
      lastName: 'Newlink',
      email,
    });
    const invite = await colleague.post<{ id: string }>(`/v1/contacts/${contact.body.id}/invites`, {});
    expect(invite.status).toBe(201);
    const token = inviteTokenIn((await mailbox.waitFor(email, 1, 90_000))[0].Text);
    return {
      owner,
      colleague,
      colleagueEmail,
      clientId: client.body.id,
      contactId: contact.body.id,
      inviteId: invite.body.id,
      email,
      token,
    };
  }

  async function contactRow(staff: GatewayClient, contactId: string, until: (row: ContactRow) => boolean) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const row = await staff.get<ContactRow>(`/v1/contacts/${contactId}`);
      if (until(row.body) || Date.now() > deadline) return row.body;
      await sleep(250);
    }
  }

  const noticesTo = async (address: string) =>
    (await mailbox.to(address)).filter((m) => m.Subject.includes('asked for a new portal link'));

  it('a revoked link: the inviter is emailed once, the contact nothing, and the row shows the date', async () => {
    const ctx = await invitedContact();
    expect((await ctx.colleague.post(`/v1/invites/${ctx.inviteId}/revoke`)).status).toBe(200);
    await contactRow(ctx.colleague, ctx.contactId, (r) => r.portal.state === 'revoked');

    const asked = await anon().post('/v1/portal/invites/new-link-request', { token: ctx.token });
    expect(asked).toMatchObject({ status: 202, body: { status: 'accepted' } });
    const [notice] = await mailbox.waitFor(ctx.colleagueEmail, 1, 90_000);
    expect(notice.Subject).toBe('Nora Newlink asked for a new portal link');
    expect(notice.Text).toContain(`/app/clients/${ctx.clientId}`);

    const [event] = await tap.waitFor(
      (m) => m.value.type === 'NewLinkRequested' && (m.value.data as NewLinkRequestedData).inviteId === ctx.inviteId,
    );
    expect(event.value.data).toMatchObject({ contactId: ctx.contactId, inviteState: 'revoked' });
    expect(event.raw).not.toContain(ctx.token.split('.')[1]);

    const row = await contactRow(ctx.colleague, ctx.contactId, (r) => r.portal.newLinkRequestedAt !== null);
    expect(Date.parse(row.portal.newLinkRequestedAt ?? '')).toBeGreaterThan(Date.now() - 5 * 60_000);

    // Asking again within the window sends nothing more; the contact only ever got the invite.
    await anon().post('/v1/portal/invites/new-link-request', { token: ctx.token });
    await sleep(3000);
    expect(await noticesTo(ctx.colleagueEmail)).toHaveLength(1);
    expect(await noticesTo(ctx.owner.user.email)).toHaveLength(0);
    expect((await mailbox.to(ctx.email)).every((m) => !m.Subject.includes('new portal link'))).toBe(true);
    const events = tap.messages.filter(
      (m) => m.value.type === 'NewLinkRequested' && (m.value.data as NewLinkRequestedData).inviteId === ctx.inviteId,
    );
    expect(new Set(events.map((m) => m.value.id)).size).toBe(1);

    // A new invite answers the request: the row stops showing it.
    const resent = await ctx.colleague.post(`/v1/contacts/${ctx.contactId}/invites`, {});
    expect(resent.status).toBe(201);
    const after = await contactRow(ctx.colleague, ctx.contactId, (r) => r.portal.newLinkRequestedAt === null);
    expect(after.portal.newLinkRequestedAt).toBeNull();
  }, 240_000);

  it('answers the same for a valid, an unknown and a malformed token, and emails no one', async () => {
    const ctx = await invitedContact();
    const answers = await Promise.all(
      [ctx.token, `${randomUUID()}.${'x'.repeat(43)}`, 'not-a-token'].map(async (token) =>
        anon().post('/v1/portal/invites/new-link-request', { token }),
      ),
    );
    for (const answer of answers) expect(answer).toMatchObject({ status: 202, body: { status: 'accepted' } });
    await sleep(3000);
    expect(await noticesTo(ctx.colleagueEmail)).toHaveLength(0);
    expect(
      tap.messages.some(
        (m) => m.value.type === 'NewLinkRequested' && (m.value.data as NewLinkRequestedData).inviteId === ctx.inviteId,
      ),
    ).toBe(false);
  }, 180_000);

  it('an expired link: the inviter is emailed and the row shows the request with the expired state', async () => {
    const ctx = await invitedContact();
    // The service's clock 31 days on: the link is past its date (the sweep marks it expired too).
    await stack.get('invites').stop();
    stack.get('invites').start({ CLOCK_OFFSET_MS: String(31 * DAY_MS), EXPIRY_SWEEP_MS: '1000' });
    await stack.get('invites').waitReady();
    try {
      const asked = await anon().post('/v1/portal/invites/new-link-request', { token: ctx.token });
      expect(asked).toMatchObject({ status: 202, body: { status: 'accepted' } });
      const [notice] = await mailbox.waitFor(ctx.colleagueEmail, 1, 90_000);
      expect(notice.Subject).toBe('Nora Newlink asked for a new portal link');
      const row = await contactRow(
        ctx.colleague,
        ctx.contactId,
        (r) => r.portal.state === 'expired' && r.portal.newLinkRequestedAt !== null,
      );
      expect(row.portal).toMatchObject({ state: 'expired', newLinkRequestedAt: expect.any(String) as string });
    } finally {
      await stack.get('invites').stop();
      stack.get('invites').start({ EXPIRY_SWEEP_MS: '1000' });
      await stack.get('invites').waitReady();
    }
  }, 240_000);

  it('the contacts projection: NewLinkRequested before and after the revoke, and twice, ends the same', async () => {
    const ctx = await invitedContact();
    const requestedAt = new Date(Date.now() + 1000);
    const request = createEvent({
      topic: Topic.NewLinkRequested,
      firmId: ctx.owner.firm.id,
      correlationId: randomUUID(),
      key: ctx.contactId,
      occurredAt: requestedAt,
      data: { inviteId: ctx.inviteId, contactId: ctx.contactId, inviteState: 'revoked', clientId: ctx.clientId },
    });
    // Before the revoke: the row already shows the request (the state still `invited`).
    await publisher.publish([request]);
    const before = await contactRow(ctx.colleague, ctx.contactId, (r) => r.portal.newLinkRequestedAt !== null);
    expect(before.portal.newLinkRequestedAt).toBe(requestedAt.toISOString());
    // The revoke after it changes the state, not the date; the same event again changes nothing.
    await ctx.colleague.post(`/v1/invites/${ctx.inviteId}/revoke`);
    await publisher.publish([request], 2);
    const after = await contactRow(ctx.colleague, ctx.contactId, (r) => r.portal.state === 'revoked');
    expect(after.portal).toMatchObject({ state: 'revoked', newLinkRequestedAt: requestedAt.toISOString() });
    // No `invitedBy` in the event: the firm's owners are told instead.
    await mailbox.waitFor(ctx.owner.user.email, 1, 90_000);
    await sleep(2000);
    expect(await noticesTo(ctx.owner.user.email)).toHaveLength(1);
    expect(await noticesTo(ctx.colleagueEmail)).toHaveLength(0);
  }, 180_000);
});
