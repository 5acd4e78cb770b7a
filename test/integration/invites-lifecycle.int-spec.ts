import { Topic } from '@cp/contracts';
import { internal, inviteTokenIn, KafkaTap, Mailbox, TestStack } from '@cp/testing';
import { randomUUID } from 'node:crypto';

const DAY_MS = 24 * 3600 * 1000;

// Invites end by themselves: at their expiry date (tested with a shifted clock), and when the
// contact's email changes (the link went to the old address).
describe('invite expiry and revocation by email change', () => {
  const stack = new TestStack();
  const mailbox = new Mailbox();
  const tap = new KafkaTap();
  const firmId = `firm-${randomUUID()}`;

  beforeAll(async () => {
    await tap.start([Topic.InviteExpired, Topic.InviteRevoked]);
    await stack.start(['contacts', 'invites', 'notifications'], { EXPIRY_SWEEP_MS: '1000' });
  }, 120_000);

  afterAll(async () => {
    await tap.stop();
    await stack.stopAll();
  });

  async function contactWithInvite(email: string) {
    const client = await internal<{ id: string }>('POST', `${stack.url('contacts')}/firms/${firmId}/clients`, {
      body: { name: 'Lifecycle LLC', kind: 'business' },
    });
    const contact = await internal<{ id: string }>(
      'POST',
      `${stack.url('contacts')}/firms/${firmId}/clients/${client.body.id}/contacts`,
      {
        body: { firstName: 'Eve', lastName: 'Lifecycle', email },
      },
    );
    const sent = await internal<{ results: { inviteId: string }[] }>(
      'POST',
      `${stack.url('invites')}/firms/${firmId}/invites`,
      {
        body: {
          targets: [
            {
              contactId: contact.body.id,
              clientId: client.body.id,
              email,
              contactFirstName: 'Eve',
              contactLastName: 'Lifecycle',
            },
          ],
          firmName: 'Lifecycle Firm',
          firmSlug: 'lifecycle-firm',
          inviterId: 'staff-1',
          inviterName: 'Staff One',
        },
      },
    );
    const [mail] = await mailbox.waitFor(email);
    return { contactId: contact.body.id, inviteId: sent.body.results[0].inviteId, token: inviteTokenIn(mail.Text) };
  }

  async function inviteStatus(inviteId: string, until: string): Promise<string> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const list = await internal<{ items: { id: string; status: string }[] }>(
        'GET',
        `${stack.url('invites')}/firms/${firmId}/invites?limit=200`,
      );
      const status = list.body.items.find((i) => i.id === inviteId)?.status ?? 'missing';
      if (status === until || Date.now() > deadline) return status;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('expires after its date: status expired, InviteExpired published, accept refused with INVITE_EXPIRED', async () => {
    const { inviteId, token } = await contactWithInvite(`exp-${randomUUID()}@example.com`);
    await stack.get('invites').stop();
    stack.get('invites').start({ CLOCK_OFFSET_MS: String(31 * DAY_MS), EXPIRY_SWEEP_MS: '1000' });
    await stack.get('invites').waitReady();

    expect(await inviteStatus(inviteId, 'expired')).toBe('expired');
    await tap.waitFor(
      (m) => m.value.type === 'InviteExpired' && (m.value.data as { inviteId: string }).inviteId === inviteId,
    );
    const preview = await internal('GET', `${stack.url('invites')}/portal/invites/${token}`);
    expect(preview.body).toMatchObject({ valid: false, reason: 'expired' });
    const accept = await internal('POST', `${stack.url('invites')}/portal/invites/accept`, {
      body: { token, password: 'long enough password' },
    });
    expect(accept.status).toBe(410);
    expect(accept.body.code).toBe('INVITE_EXPIRED');

    await stack.get('invites').stop();
    stack.get('invites').start({ EXPIRY_SWEEP_MS: '1000' });
    await stack.get('invites').waitReady();
  }, 150_000);

  it("changing the contact's email revokes the pending invite", async () => {
    const { contactId, inviteId, token } = await contactWithInvite(`old-${randomUUID()}@example.com`);
    const patched = await internal('PATCH', `${stack.url('contacts')}/firms/${firmId}/contacts/${contactId}`, {
      body: { email: `new-${randomUUID()}@example.com` },
    });
    expect(patched.status).toBe(200);
    expect(await inviteStatus(inviteId, 'revoked')).toBe('revoked');
    const accept = await internal('POST', `${stack.url('invites')}/portal/invites/accept`, {
      body: { token, password: 'long enough password' },
    });
    expect(accept.body.code).toBe('INVITE_REVOKED');
  }, 120_000);
});
