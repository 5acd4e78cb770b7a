import { InviteEmailRequestedData, InviteSentData, Topic } from '@cp/contracts';
import {
  distinctEvents,
  GatewayClient,
  GatewayTestStack,
  KafkaTap,
  onboardContact,
  randomClientAddress,
  testStackEnv,
} from '@cp/testing';

interface BulkResult {
  contactId: string;
  status: 'sent' | 'skipped';
  inviteId?: string;
  code?: string;
}

// A bulk of several hundred with every case at once, through the gateway: one look-up of all
// targets, one write of the new invites, one result per contact in the order asked.
describe('bulk invite, set-based', () => {
  // Behind one proxy hop, as in the cluster: the staff member's ~410 requests are counted for
  // their own address, under the 600 a minute, not for 127.0.0.1 with whatever else calls the port.
  const env = testStackEnv({ TRUST_PROXY_HOPS: '1' });
  const stack = new GatewayTestStack(env);
  const tap = new KafkaTap();
  let staff: GatewayClient;
  let anonymous: GatewayClient;
  let clientId: string;
  let otherClientId: string;
  let firmId: string;

  beforeAll(async () => {
    await tap.start([Topic.InviteSent, Topic.InviteEmailRequested]);
    await stack.startBehindGateway(['contacts', 'invites']);
    anonymous = new GatewayClient(stack.url('gateway')).from(randomClientAddress());
    const signedUp = await anonymous.signUpFirm();
    firmId = signedUp.firm.id;
    staff = anonymous.withToken(signedUp.accessToken);
    clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'Bulk', kind: 'business' })).body.id;
    otherClientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'Other', kind: 'business' })).body.id;
  }, 180_000);

  afterAll(async () => {
    await tap.stop();
    await stack.stopAll();
  });

  async function addContacts(client: string, count: number, label: string, withEmail = true): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, count - i) }, async (_, k) => {
          const res = await staff.post<{ id: string }>(`/v1/clients/${client}/contacts`, {
            firstName: `${label}${i + k}`,
            lastName: 'Bulk',
            ...(withEmail ? { email: `${label}-${i + k}-${Date.now()}@bulk.example` } : {}),
          });
          expect(res.status).toBe(201);
          return res.body.id;
        }),
      );
      ids.push(...batch);
    }
    return ids;
  }

  it('invites 400 contacts in one request: new, already pending, accepted, without email, other client, unknown, repeated', async () => {
    const links = { tap, linkKey: env.INVITE_LINK_KEY ?? '' };
    const accepted = await onboardContact(staff, anonymous, links, clientId, 'Accepted');
    const fresh = await addContacts(clientId, 340, 'new');
    const pending = await addContacts(clientId, 30, 'pending');
    const first = await staff.post<{ results: BulkResult[] }>(`/v1/clients/${clientId}/invites`, {
      contactIds: pending,
    });
    expect(first.body.results.every((r) => r.status === 'sent')).toBe(true);
    const firstInvite = new Map(first.body.results.map((r) => [r.contactId, r.inviteId]));
    const noEmail = await addContacts(clientId, 15, 'noemail', false);
    const elsewhere = await addContacts(otherClientId, 10, 'elsewhere');
    const unknown = Array.from({ length: 4 }, (_, i) => `no-such-contact-${i}`);

    const asked = [
      ...fresh,
      ...pending,
      accepted.contactId,
      ...noEmail,
      ...elsewhere,
      ...unknown,
      fresh[0],
      pending[0],
    ];
    const before = tap.messages.length;
    const res = await staff.post<{ results: BulkResult[] }>(`/v1/clients/${clientId}/invites`, {
      contactIds: asked,
      message: 'Welcome',
    });
    expect(res.status).toBe(200);
    const unique = [...new Set(asked)];
    expect(res.body.results.map((r) => r.contactId)).toEqual(unique);
    const byContact = new Map(res.body.results.map((r) => [r.contactId, r]));
    for (const id of fresh) expect(byContact.get(id)).toMatchObject({ status: 'sent', inviteId: expect.any(String) });
    // A pending invite gets a fresh link on the same invite.
    for (const id of pending)
      expect(byContact.get(id)).toMatchObject({ status: 'sent', inviteId: firstInvite.get(id) });
    expect(byContact.get(accepted.contactId)).toMatchObject({ status: 'skipped', code: 'INVITE_ALREADY_ACCEPTED' });
    for (const id of noEmail)
      expect(byContact.get(id)).toMatchObject({ status: 'skipped', code: 'CONTACT_EMAIL_REQUIRED' });
    for (const id of [...elsewhere, ...unknown])
      expect(byContact.get(id)).toMatchObject({ status: 'skipped', code: 'NOT_FOUND' });

    // Each sent invite carries its own InviteSent and email command; a resend is the invite's second send.
    const sentCount = fresh.length + pending.length;
    // Only this firm's events: another stack on the same Kafka (a bench, a second checkout) may publish too.
    const fromBulk = () => distinctEvents(tap.messages.slice(before)).filter((e) => e.firmId === firmId);
    const deadline = Date.now() + 60_000;
    while (fromBulk().length < 2 * sentCount && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const events = fromBulk();
    const sent = events.filter((e) => e.type === 'InviteSent').map((e) => e.data as InviteSentData);
    const commands = events
      .filter((e) => e.type === 'InviteEmailRequested')
      .map((e) => e.data as InviteEmailRequestedData);
    expect(sent).toHaveLength(sentCount);
    expect(commands).toHaveLength(sentCount);
    expect(new Set(sent.map((s) => s.contactId))).toEqual(new Set([...fresh, ...pending]));
    expect(
      sent
        .filter((s) => s.resend)
        .map((s) => s.contactId)
        .sort(),
    ).toEqual([...pending].sort());
    expect(
      commands
        .filter((c) => c.sendNumber === 2)
        .map((c) => c.contactId)
        .sort(),
    ).toEqual([...pending].sort());

    // The firm's list shows one pending invite per contact, not two.
    const list = await staff.get<{ items: { contactId: string }[] }>(
      `/v1/invites?clientId=${clientId}&status=pending&limit=100`,
    );
    expect(list.status).toBe(200);
    let seen = list.body.items.map((i) => i.contactId);
    let cursor = (list.body as { nextCursor?: string | null }).nextCursor;
    while (cursor) {
      const page = await staff.get<{ items: { contactId: string }[]; nextCursor?: string | null }>(
        `/v1/invites?clientId=${clientId}&status=pending&limit=100&cursor=${cursor}`,
      );
      seen = [...seen, ...page.body.items.map((i) => i.contactId)];
      cursor = page.body.nextCursor;
    }
    expect(seen).toHaveLength(sentCount);
    expect(new Set(seen).size).toBe(sentCount);
  }, 300_000);
});
