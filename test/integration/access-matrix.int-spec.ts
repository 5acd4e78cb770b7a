import { ClientView, ContactView, Page, StaffUserView } from '@cp/contracts';
import {
  GatewayClient,
  HttpResult,
  Problem,
  SignedUpFirm,
  STAFF_PASSWORD,
  GatewayTestStack,
  uniqueEmail,
} from '@cp/testing';

// Tenancy through the whole stack: firm B's staff, signed in with a valid token, try every
// route on firm A's ids. Each answers 404 NOT_FOUND, exactly like an id that does not exist
// (never 403, which would confirm the id), and firm A's data is unchanged afterwards.

interface FirmData {
  session: SignedUpFirm;
  staff: GatewayClient;
  client: ClientView;
  contact: ContactView;
  colleague: StaffUserView;
}

describe('access matrix: another firm’s ids answer 404 and change nothing', () => {
  const stack = new GatewayTestStack();
  let a: FirmData;
  let b: FirmData;

  async function seedFirm(gateway: GatewayClient, label: string): Promise<FirmData> {
    const session = await gateway.signUpFirm({ firmName: `Firm ${label} ${uniqueEmail('x').slice(2, 10)}` });
    const staff = gateway.withToken(session.accessToken);
    const client = (await staff.post<ClientView>('/v1/clients', { name: `${label} Household`, kind: 'individual' }))
      .body;
    const contact = (
      await staff.post<ContactView>(`/v1/clients/${client.id}/contacts`, {
        firstName: label,
        lastName: 'Contact',
        email: uniqueEmail(label),
      })
    ).body;
    const colleague = (
      await staff.post<StaffUserView>('/v1/users', {
        name: `${label} Colleague`,
        email: uniqueEmail(`${label}-colleague`),
        password: STAFF_PASSWORD,
        role: 'staff',
      })
    ).body;
    expect([client.id, contact.id, colleague.id].every((id) => typeof id === 'string')).toBe(true);
    return { session, staff, client, contact, colleague };
  }

  /** Everything firm A can see of its own data. */
  async function snapshot(firm: FirmData) {
    const [client, contact, contacts, clients, users] = await Promise.all([
      firm.staff.get<ClientView>(`/v1/clients/${firm.client.id}`),
      firm.staff.get<ContactView>(`/v1/contacts/${firm.contact.id}`),
      firm.staff.get<Page<ContactView>>(`/v1/clients/${firm.client.id}/contacts`),
      firm.staff.get<Page<ClientView>>('/v1/clients'),
      firm.staff.get<Page<StaffUserView>>('/v1/users'),
    ]);
    return {
      client: client.body,
      contact: contact.body,
      contacts: contacts.body,
      clients: clients.body,
      users: users.body,
    };
  }

  beforeAll(async () => {
    await stack.startBehindGateway(['contacts']);
    const gateway = new GatewayClient(stack.url('gateway'));
    a = await seedFirm(gateway, 'A');
    b = await seedFirm(gateway, 'B');
  }, 180_000);

  afterAll(async () => {
    await stack.stopAll();
  });

  it('answers 404 NOT_FOUND to every route on firm A’s ids, and firm A sees no change', async () => {
    const before = await snapshot(a);
    expect(before.contacts.items.map((c) => c.id)).toEqual([a.contact.id]);
    expect(before.users.items).toHaveLength(2);

    const attempts: [string, () => Promise<HttpResult<unknown>>][] = [
      ['GET client', () => b.staff.get(`/v1/clients/${a.client.id}`)],
      ['PATCH client', () => b.staff.patch(`/v1/clients/${a.client.id}`, { name: 'Taken over' })],
      ['DELETE client', () => b.staff.delete(`/v1/clients/${a.client.id}`)],
      [
        'POST client contacts',
        () => b.staff.post(`/v1/clients/${a.client.id}/contacts`, { firstName: 'Mallory', lastName: 'Intruder' }),
      ],
      ['GET client contacts', () => b.staff.get(`/v1/clients/${a.client.id}/contacts`)],
      ['GET contact', () => b.staff.get(`/v1/contacts/${a.contact.id}`)],
      ['PATCH contact', () => b.staff.patch(`/v1/contacts/${a.contact.id}`, { email: uniqueEmail('mallory') })],
      ['PATCH contact clientIds', () => b.staff.patch(`/v1/contacts/${a.contact.id}`, { clientIds: [b.client.id] })],
      ['DELETE contact', () => b.staff.delete(`/v1/contacts/${a.contact.id}`)],
      // B's own contact, linked to A's client: the foreign client id is unknown to B.
      [
        'PATCH own contact onto A’s client',
        () => b.staff.patch(`/v1/contacts/${b.contact.id}`, { clientIds: [b.client.id, a.client.id] }),
      ],
      [
        'PATCH own contact onto only A’s client',
        () => b.staff.patch(`/v1/contacts/${b.contact.id}`, { clientIds: [a.client.id] }),
      ],
      ['GET user', () => b.staff.get(`/v1/users/${a.colleague.id}`)],
      ['GET owner', () => b.staff.get(`/v1/users/${a.session.user.id}`)],
    ];

    const answers: [string, number, string | undefined][] = [];
    for (const [name, attempt] of attempts) {
      const res = await attempt();
      answers.push([name, res.status, (res.body as Problem | null)?.code]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(answers).toEqual(attempts.map(([name]) => [name, 404, 'NOT_FOUND']));

    // The same answer as for ids that never existed: nothing tells B that A's ids are real.
    const foreign = await b.staff.get<Problem>(`/v1/clients/${a.client.id}`);
    const missing = await b.staff.get<Problem>('/v1/clients/00000000-0000-4000-8000-000000000000');
    expect(foreign.body).toEqual(missing.body);

    // Lists never show the other firm's data.
    const bClients = await b.staff.get<Page<ClientView>>('/v1/clients');
    expect(bClients.body.items.map((c) => c.id)).toEqual([b.client.id]);
    const bUsers = await b.staff.get<Page<StaffUserView>>('/v1/users');
    expect(bUsers.body.items.map((u) => u.firmId)).toEqual([b.session.firm.id, b.session.firm.id]);

    // Firm A's data is exactly as it was; B's own contact kept its client.
    expect(await snapshot(a)).toEqual(before);
    expect((await b.staff.get<ContactView>(`/v1/contacts/${b.contact.id}`)).body.clientIds).toEqual([b.client.id]);
  });

  it('B’s colleague (role staff) gets the same 404s, and A’s email is not revealed as taken', async () => {
    const gateway = new GatewayClient(stack.url('gateway'));
    const colleague = gateway.withToken((await gateway.signIn(b.colleague.email)).accessToken);
    for (const path of [
      `/v1/clients/${a.client.id}`,
      `/v1/contacts/${a.contact.id}`,
      `/v1/users/${a.session.user.id}`,
    ]) {
      const res = await colleague.get<Problem>(path);
      expect([path, res.status, res.body.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    // One email per contact is per firm: B may use the email A's contact has.
    const sameEmail = await b.staff.post<ContactView>(`/v1/clients/${b.client.id}/contacts`, {
      firstName: 'Same',
      lastName: 'Email',
      email: a.contact.email,
    });
    expect(sameEmail.status).toBe(201);
    expect((await a.staff.get<ContactView>(`/v1/contacts/${a.contact.id}`)).body.email).toBe(a.contact.email);
  });
});
