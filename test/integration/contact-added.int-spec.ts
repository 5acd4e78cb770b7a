import { Topic } from '@cp/contracts';
import { internal, KafkaTap, TestStack } from '@cp/testing';
import { randomUUID } from 'node:crypto';

// The first vertical slice: a contact written by the contacts service reaches Kafka as
// ContactAdded, in the envelope of API.md, keyed by the contact id.
describe('ContactAdded through the outbox', () => {
  const stack = new TestStack();
  const tap = new KafkaTap();

  beforeAll(async () => {
    await tap.start([Topic.ContactAdded]);
    await stack.start(['contacts']);
  }, 120_000);

  async function createClient(firmId: string): Promise<string> {
    const res = await internal<{ id: string }>('POST', `${stack.url('contacts')}/firms/${firmId}/clients`, {
      body: { name: 'Lovelace household', kind: 'individual' },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  afterAll(async () => {
    await tap.stop();
    await stack.stopAll();
  });

  it('publishes ContactAdded with every envelope field, keyed by contactId', async () => {
    const firmId = `firm-${randomUUID()}`;
    const correlationId = `it-${randomUUID()}`;
    const clientId = await createClient(firmId);
    const created = await internal<{ id: string }>(
      'POST',
      `${stack.url('contacts')}/firms/${firmId}/clients/${clientId}/contacts`,
      {
        body: { firstName: 'Ada', lastName: 'Lovelace', email: `ada-${randomUUID()}@example.com` },
        headers: { 'x-correlation-id': correlationId },
      },
    );
    expect(created.status).toBe(201);

    const [message] = await tap.waitFor((m) => m.value.firmId === firmId);
    expect(message.topic).toBe('contact.added');
    expect(message.key).toBe(created.body.id);
    expect(message.value).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: 'ContactAdded',
      version: 1,
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      firmId,
      correlationId,
      data: {
        contactId: created.body.id,
        clientIds: [clientId],
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: expect.stringMatching(/^ada-.*@example\.com$/),
      },
    });
    expect(message.headers['x-correlation-id']).toBe(correlationId);
  });

  it('rejects bad input with problem+json and publishes nothing', async () => {
    const firmId = `firm-${randomUUID()}`;
    const clientId = await createClient(firmId);
    const res = await internal('POST', `${stack.url('contacts')}/firms/${firmId}/clients/${clientId}/contacts`, {
      body: { firstName: '', lastName: 'X', email: 'not-an-email', admin: true },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['firstName', 'email', 'admin']));

    // A valid write afterwards is seen, the invalid one never was.
    const ok = await internal('POST', `${stack.url('contacts')}/firms/${firmId}/clients/${clientId}/contacts`, {
      body: { firstName: 'Valid', lastName: 'Contact' },
    });
    expect(ok.status).toBe(201);
    await tap.waitFor((m) => m.value.firmId === firmId);
    expect(tap.messages.filter((m) => m.value.firmId === firmId)).toHaveLength(1);
  });

  it('refuses calls without the internal token', async () => {
    const res = await fetch(`${stack.url('contacts')}/firms/f/contacts/x`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe('UNAUTHENTICATED');
  });
});
