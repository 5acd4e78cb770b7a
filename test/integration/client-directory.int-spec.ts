import { ClientView, ContactView, Page } from '@cp/contracts';
import { GatewayClient, Problem, GatewayTestStack, uniqueEmail, uniqueSuffix } from '@cp/testing';

// The firm's client directory through the gateway: clients, the contacts at each client with
// their portal status, paging and search, and every error code those routes answer.
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const NOT_INVITED = {
  state: 'not_invited',
  invitedAt: null,
  acceptedAt: null,
  lastLoginAt: null,
  newLinkRequestedAt: null,
};

function expectProblem(res: { status: number; headers: Headers; body: unknown }, status: number, code: string) {
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res).toMatchObject({ status, body: { status, code } });
}

describe('clients and contacts through the gateway', () => {
  const stack = new GatewayTestStack();
  let staff: GatewayClient;

  beforeAll(async () => {
    await stack.startBehindGateway(['contacts']);
    const gateway = new GatewayClient(stack.url('gateway'));
    staff = gateway.withToken((await gateway.signUpFirm()).accessToken);
  }, 180_000);

  afterAll(async () => {
    await stack.stopAll();
  });

  async function createClient(name: string, kind = 'individual'): Promise<ClientView> {
    const res = await staff.post<ClientView>('/v1/clients', { name, kind });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function addContact(clientId: string, body: Record<string, unknown>): Promise<ContactView> {
    const res = await staff.post<ContactView>(`/v1/clients/${clientId}/contacts`, body);
    expect(res.status).toBe(201);
    return res.body;
  }

  describe('clients', () => {
    it('creates, reads, renames and deletes a client', async () => {
      const created = await staff.post<ClientView>('/v1/clients', {
        name: '  The Babbage Household ',
        kind: 'individual',
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'The Babbage Household',
        kind: 'individual',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const id = created.body.id;
      expect(await staff.get(`/v1/clients/${id}`)).toMatchObject({ status: 200, body: created.body });

      const renamed = await staff.patch<ClientView>(`/v1/clients/${id}`, { name: 'Babbage & Sons', kind: 'business' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id, name: 'Babbage & Sons', kind: 'business' });
      expect((await staff.get<ClientView>(`/v1/clients/${id}`)).body.name).toBe('Babbage & Sons');

      const removed = await staff.delete(`/v1/clients/${id}`);
      expect(removed.status).toBe(204);
      expect(removed.body).toBeNull();
      expectProblem(await staff.get(`/v1/clients/${id}`), 404, 'NOT_FOUND');
      expectProblem(await staff.delete(`/v1/clients/${id}`), 404, 'NOT_FOUND');
      expectProblem(await staff.patch(`/v1/clients/${id}`, { name: 'Ghost' }), 404, 'NOT_FOUND');
    });

    it('lists each invalid or unknown field: 400 VALIDATION_FAILED', async () => {
      const res = await staff.post<Problem>('/v1/clients', { name: '', kind: 'household', firmId: 'someone-else' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(new Set(res.body.errors?.map((e) => e.field))).toEqual(new Set(['name', 'kind', 'firmId']));

      const client = await createClient('Valid Client');
      const patch = await staff.patch<Problem>(`/v1/clients/${client.id}`, { kind: 'alien', id: 'x' });
      expectProblem(patch, 400, 'VALIDATION_FAILED');
      expect(new Set(patch.body.errors?.map((e) => e.field))).toEqual(new Set(['kind', 'id']));
      expect((await staff.get<ClientView>(`/v1/clients/${client.id}`)).body.kind).toBe('individual');

      for (const query of ['limit=0', 'limit=201', 'limit=ten', 'sort=name', 'cursor=not-ours']) {
        expectProblem(await staff.get(`/v1/clients?${query}`), 400, 'VALIDATION_FAILED');
      }
    });

    it('answers 404 for unknown and malformed ids', async () => {
      for (const id of [UNKNOWN_ID, 'no-such-client', 'x'.repeat(65), 'bad%20id', 'a.b']) {
        expectProblem(await staff.get(`/v1/clients/${id}`), 404, 'NOT_FOUND');
      }
    });

    it('pages through every client exactly once, and searches names case-insensitively', async () => {
      const marker = uniqueSuffix();
      const names = Array.from({ length: 7 }, (_, i) => `Paging ${marker} Client ${i + 1}`);
      const ids: string[] = [];
      for (const name of names) ids.push((await createClient(name)).id);

      // Search narrows the list to this test's clients; pages of 3 follow nextCursor to the end.
      const seen: ClientView[] = [];
      let cursor: string | null = null;
      const pageSizes: number[] = [];
      do {
        const query: string = `search=${encodeURIComponent(`PAGING ${marker.toUpperCase()}`)}&limit=3${
          cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
        }`;
        const page: { status: number; body: Page<ClientView> } = await staff.get<Page<ClientView>>(
          `/v1/clients?${query}`,
        );
        expect(page.status).toBe(200);
        pageSizes.push(page.body.items.length);
        seen.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(pageSizes).toEqual([3, 3, 1]);
      expect(seen.map((c) => c.id)).toEqual(ids); // oldest first, each once
      expect(seen.map((c) => c.name)).toEqual(names);

      const one = await staff.get<Page<ClientView>>(`/v1/clients?search=${encodeURIComponent(`client 7`)}&limit=200`);
      expect(one.body.items.filter((c) => c.name.includes(marker)).map((c) => c.id)).toEqual([ids[6]]);
      const none = await staff.get<Page<ClientView>>(`/v1/clients?search=${marker}-nothing`);
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('contacts', () => {
    it('adds a contact with its portal status; lists it; reads, updates and deletes it', async () => {
      const client = await createClient('Lovelace Household');
      const email = uniqueEmail('ada');
      const added = await staff.post<ContactView>(`/v1/clients/${client.id}/contacts`, {
        firstName: ' Ada ',
        lastName: 'Lovelace',
        email: email.toUpperCase(),
        phone: '+44 20 7946 0000',
      });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        clientIds: [client.id],
        firstName: 'Ada',
        lastName: 'Lovelace',
        email,
        phone: '+44 20 7946 0000',
        portal: NOT_INVITED,
        inviteEmail: null,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const id = added.body.id;

      const list = await staff.get<Page<ContactView>>(`/v1/clients/${client.id}/contacts`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ items: [added.body], nextCursor: null });
      expect(await staff.get(`/v1/contacts/${id}`)).toMatchObject({ status: 200, body: added.body });

      const updated = await staff.patch<ContactView>(`/v1/contacts/${id}`, { lastName: 'King', phone: null });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ id, firstName: 'Ada', lastName: 'King', phone: null, email });

      expect((await staff.delete(`/v1/contacts/${id}`)).status).toBe(204);
      expectProblem(await staff.get(`/v1/contacts/${id}`), 404, 'NOT_FOUND');
      expectProblem(await staff.patch(`/v1/contacts/${id}`, { firstName: 'Ghost' }), 404, 'NOT_FOUND');
      expectProblem(await staff.delete(`/v1/contacts/${id}`), 404, 'NOT_FOUND');
      expect((await staff.get<Page<ContactView>>(`/v1/clients/${client.id}/contacts`)).body.items).toEqual([]);
    });

    it('adds a contact without an email, then PATCH adds it', async () => {
      const client = await createClient('Hopper Household');
      const contact = await addContact(client.id, { firstName: 'Grace', lastName: 'Hopper' });
      expect(contact).toMatchObject({ email: null, phone: null, portal: NOT_INVITED });

      const email = uniqueEmail('grace');
      const patched = await staff.patch<ContactView>(`/v1/contacts/${contact.id}`, { email });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: contact.id, email, firstName: 'Grace' });
      expect((await staff.get<ContactView>(`/v1/contacts/${contact.id}`)).body.email).toBe(email);
    });

    it('gives one email to one contact of the firm: 409 CONTACT_EMAIL_TAKEN naming the holder', async () => {
      const client = await createClient('Conflict Household');
      const email = uniqueEmail('holder');
      const holder = await addContact(client.id, { firstName: 'First', lastName: 'Holder', email });

      const second = await staff.post<Problem>(`/v1/clients/${client.id}/contacts`, {
        firstName: 'Second',
        lastName: 'Person',
        email: email.toUpperCase(),
      });
      expectProblem(second, 409, 'CONTACT_EMAIL_TAKEN');
      expect(second.body.contactId).toBe(holder.id);

      const other = await addContact(client.id, { firstName: 'Other', lastName: 'Person' });
      const patch = await staff.patch<Problem>(`/v1/contacts/${other.id}`, { email });
      expectProblem(patch, 409, 'CONTACT_EMAIL_TAKEN');
      expect(patch.body.contactId).toBe(holder.id);
      expect((await staff.get<ContactView>(`/v1/contacts/${other.id}`)).body.email).toBeNull();
    });

    it('links a contact to a second client, listed under both with its portal status', async () => {
      const household = await createClient('Babbage Household');
      const business = await createClient('Babbage Engines Ltd', 'business');
      const contact = await addContact(household.id, { firstName: 'Charles', lastName: 'Babbage' });
      await addContact(business.id, { firstName: 'Engine', lastName: 'Operator' });

      const linked = await staff.patch<ContactView>(`/v1/contacts/${contact.id}`, {
        clientIds: [household.id, business.id],
      });
      expect(linked.status).toBe(200);
      expect(linked.body.clientIds).toEqual([household.id, business.id]);

      const underHousehold = await staff.get<Page<ContactView>>(`/v1/clients/${household.id}/contacts`);
      const underBusiness = await staff.get<Page<ContactView>>(`/v1/clients/${business.id}/contacts`);
      expect(underHousehold.body.items.map((c) => c.id)).toEqual([contact.id]);
      expect(underBusiness.body.items.map((c) => c.lastName)).toEqual(['Babbage', 'Operator']); // oldest first
      for (const item of [...underHousehold.body.items, ...underBusiness.body.items]) {
        expect(item.portal).toEqual(NOT_INVITED);
      }

      // A client id that is not the firm's is refused as unknown, and nothing changes.
      const unknown = await staff.patch(`/v1/contacts/${contact.id}`, { clientIds: [household.id, UNKNOWN_ID] });
      expectProblem(unknown, 404, 'NOT_FOUND');
      expect((await staff.get<ContactView>(`/v1/contacts/${contact.id}`)).body.clientIds).toEqual([
        household.id,
        business.id,
      ]);

      // Deleting a client keeps its contacts, unlinked from it.
      expect((await staff.delete(`/v1/clients/${business.id}`)).status).toBe(204);
      expect((await staff.get<ContactView>(`/v1/contacts/${contact.id}`)).body.clientIds).toEqual([household.id]);
      expectProblem(await staff.get(`/v1/clients/${business.id}/contacts`), 404, 'NOT_FOUND');
    });

    it('pages through a client’s contacts', async () => {
      const client = await createClient('Large Household');
      const ids: string[] = [];
      for (let i = 1; i <= 5; i++)
        ids.push((await addContact(client.id, { firstName: `Member${i}`, lastName: 'Large' })).id);
      const first = await staff.get<Page<ContactView>>(`/v1/clients/${client.id}/contacts?limit=2`);
      expect(first.body.items.map((c) => c.id)).toEqual(ids.slice(0, 2));
      const second = await staff.get<Page<ContactView>>(
        `/v1/clients/${client.id}/contacts?limit=2&cursor=${encodeURIComponent(first.body.nextCursor ?? '')}`,
      );
      expect(second.body.items.map((c) => c.id)).toEqual(ids.slice(2, 4));
      const third = await staff.get<Page<ContactView>>(
        `/v1/clients/${client.id}/contacts?limit=2&cursor=${encodeURIComponent(second.body.nextCursor ?? '')}`,
      );
      expect(third.body).toEqual({
        items: [expect.objectContaining({ id: ids[4], portal: NOT_INVITED })],
        nextCursor: null,
      });
    });

    it('validates contact bodies and queries, listing each field', async () => {
      const client = await createClient('Validation Household');
      const add = await staff.post<Problem>(`/v1/clients/${client.id}/contacts`, {
        firstName: '',
        email: 'not-an-email',
        phone: 'call me',
        portal: { state: 'accepted' },
      });
      expectProblem(add, 400, 'VALIDATION_FAILED');
      expect(new Set(add.body.errors?.map((e) => e.field))).toEqual(
        new Set(['firstName', 'lastName', 'email', 'phone', 'portal']),
      );

      const contact = await addContact(client.id, { firstName: 'Valid', lastName: 'Contact' });
      const patch = await staff.patch<Problem>(`/v1/contacts/${contact.id}`, { clientIds: [], email: 'nope', id: 'x' });
      expectProblem(patch, 400, 'VALIDATION_FAILED');
      expect(new Set(patch.body.errors?.map((e) => e.field))).toEqual(new Set(['clientIds', 'email', 'id']));

      expectProblem(await staff.get(`/v1/clients/${client.id}/contacts?limit=500`), 400, 'VALIDATION_FAILED');
      expectProblem(await staff.get(`/v1/clients/${client.id}/contacts?search=x`), 400, 'VALIDATION_FAILED');
    });

    it('answers 404 for contacts of an unknown client and unknown or malformed contact ids', async () => {
      expectProblem(
        await staff.post(`/v1/clients/${UNKNOWN_ID}/contacts`, { firstName: 'No', lastName: 'Client' }),
        404,
        'NOT_FOUND',
      );
      expectProblem(await staff.get(`/v1/clients/${UNKNOWN_ID}/contacts`), 404, 'NOT_FOUND');
      for (const id of [UNKNOWN_ID, 'x'.repeat(65), 'a_b']) {
        expectProblem(await staff.get(`/v1/contacts/${id}`), 404, 'NOT_FOUND');
        expectProblem(await staff.patch(`/v1/contacts/${id}`, { firstName: 'X' }), 404, 'NOT_FOUND');
        expectProblem(await staff.delete(`/v1/contacts/${id}`), 404, 'NOT_FOUND');
      }
    });
  });

  describe('OpenAPI', () => {
    it('describes every staff route with its body, answers and error codes', async () => {
      const doc = await new GatewayClient(stack.url('gateway')).get<{
        paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
      }>('/v1/docs-json');
      expect(doc.status).toBe(200);
      const routes: [string, string, string[]][] = [
        ['post', '/v1/firms', ['201', '400', '409', '429', '503']],
        ['post', '/v1/auth/login', ['200', '202', '400', '401', '429', '503']],
        ['post', '/v1/auth/refresh', ['200', '400', '401', '429', '503']],
        ['get', '/v1/me', ['200', '401', '429', '503']],
        ['post', '/v1/users', ['201', '400', '401', '403', '409', '429', '503']],
        ['get', '/v1/users', ['200', '401', '429', '503']],
        ['get', '/v1/users/{userId}', ['200', '401', '404', '429', '503']],
        ['post', '/v1/clients', ['201', '400', '401', '429', '503']],
        ['get', '/v1/clients', ['200', '400', '401', '429', '503']],
        ['get', '/v1/clients/{clientId}', ['200', '401', '404', '429', '503']],
        ['patch', '/v1/clients/{clientId}', ['200', '400', '401', '404', '429', '503']],
        ['delete', '/v1/clients/{clientId}', ['204', '401', '404', '429', '503']],
        ['post', '/v1/clients/{clientId}/contacts', ['201', '400', '401', '404', '409', '429', '503']],
        ['get', '/v1/clients/{clientId}/contacts', ['200', '400', '401', '404', '429', '503']],
        ['get', '/v1/contacts/{contactId}', ['200', '401', '404', '429', '503']],
        ['patch', '/v1/contacts/{contactId}', ['200', '400', '401', '404', '409', '429', '503']],
        ['delete', '/v1/contacts/{contactId}', ['204', '401', '404', '429', '503']],
      ];
      for (const [method, path, listed] of routes) {
        // A route that validates input also documents 413 (a JSON body past the parser's limit).
        const statuses = listed.includes('400') ? [...listed, '413'] : listed;
        const operation = doc.body.paths[path]?.[method];
        expect([method, path, operation && Object.keys(operation.responses).sort()]).toEqual([
          method,
          path,
          [...statuses].sort(),
        ]);
      }
      for (const [method, path] of routes.filter(([m]) => m === 'post' || m === 'patch')) {
        expect([method, path, doc.body.paths[path][method].requestBody]).toEqual([method, path, expect.anything()]);
      }
      const conflict = JSON.stringify(doc.body.paths['/v1/clients/{clientId}/contacts'].post.responses['409']);
      expect(conflict).toContain('CONTACT_EMAIL_TAKEN');
      expect(conflict).toContain('application/problem+json');
    });
  });

  // Last: it stops the contacts service.
  describe('when the contacts service is down', () => {
    it('answers 503 SERVICE_UNAVAILABLE, after still checking the token', async () => {
      await stack.get('contacts').stop();
      expectProblem(await staff.get('/v1/clients'), 503, 'SERVICE_UNAVAILABLE');
      expectProblem(await staff.post('/v1/clients', { name: 'Later', kind: 'business' }), 503, 'SERVICE_UNAVAILABLE');
      expectProblem(await staff.withToken(undefined).get('/v1/clients'), 401, 'UNAUTHENTICATED');
      expectProblem(await staff.post('/v1/clients', { name: '' }), 400, 'VALIDATION_FAILED');
    });
  });
});
