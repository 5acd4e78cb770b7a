import { createEvent, EventData, OutboxEvent, Topic } from '@cp/contracts';
import { internal, seedContacts, TestStack, testStackEnv } from '@cp/testing';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';

// The contacts service keeps each contact's portal status from invite and login events. Until
// the invites service publishes them, this test does, as another service would: twice, out of order.
describe('portal status projection', () => {
  const stack = new TestStack();
  let producer: Producer;
  const firmId = `firm-${randomUUID()}`;
  let clientId: string;

  beforeAll(async () => {
    await stack.start(['contacts']);
    const kafka = new Kafka({
      clientId: 'test-publisher',
      brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer();
    await producer.connect();
    const client = await internal<{ id: string }>('POST', `${stack.url('contacts')}/firms/${firmId}/clients`, {
      body: { name: 'Projection Household', kind: 'individual' },
    });
    clientId = client.body.id;
  }, 120_000);

  afterAll(async () => {
    await producer.disconnect();
    await stack.stopAll();
  });

  async function addContact(firstName: string): Promise<string> {
    const res = await internal<{ id: string }>(
      'POST',
      `${stack.url('contacts')}/firms/${firmId}/clients/${clientId}/contacts`,
      {
        body: { firstName, lastName: 'Projection', email: `${firstName.toLowerCase()}-${randomUUID()}@example.com` },
      },
    );
    expect(res.status).toBe(201);
    return res.body.id;
  }

  function event<T extends Topic>(topic: T, contactId: string, minutesAgo: number, data: EventData<T>): OutboxEvent<T> {
    return createEvent({
      topic,
      firmId,
      correlationId: `it-${randomUUID()}`,
      key: contactId,
      data,
      occurredAt: new Date(Date.now() - minutesAgo * 60_000),
    });
  }

  async function publish(events: OutboxEvent[]): Promise<void> {
    for (const e of events) {
      await producer.send({ topic: e.topic, messages: [{ key: e.key, value: JSON.stringify(e.envelope) }] });
    }
  }

  async function portalOf(contactId: string, until: (portal: Record<string, unknown>) => boolean) {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const res = await internal<{ items: { id: string; portal: Record<string, unknown> }[] }>(
        'GET',
        `${stack.url('contacts')}/firms/${firmId}/clients/${clientId}/contacts?limit=200`,
      );
      const portal = res.body.items.find((c) => c.id === contactId)?.portal;
      if (portal && until(portal)) return portal;
      if (Date.now() > deadline) throw new Error(`portal status never matched; last: ${JSON.stringify(portal)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('ends accepted with acceptedAt and lastLoginAt, from duplicated and reordered events', async () => {
    const contactId = await addContact('Ada');
    const inviteId = randomUUID();
    const sent = event(Topic.InviteSent, contactId, 10, {
      inviteId,
      contactId,
      clientId,
      email: 'ada@example.com',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      sentBy: 'u1',
      resend: false,
    });
    const acceptedAt = new Date(Date.now() - 5 * 60_000).toISOString();
    const accepted = event(Topic.InviteAccepted, contactId, 5, { inviteId, contactId, clientId, acceptedAt });
    const loginAt = new Date(Date.now() - 60_000).toISOString();
    const login = event(Topic.PortalLogin, contactId, 1, { contactId, at: loginAt });
    // Accept and login before their send, each delivered twice.
    await publish([login, accepted, accepted, sent, login, sent]);

    const portal = await portalOf(contactId, (p) => p.lastLoginAt !== null && p.invitedAt !== null);
    expect(portal).toEqual({
      state: 'accepted',
      invitedAt: sent.envelope.occurredAt,
      acceptedAt,
      lastLoginAt: loginAt,
      newLinkRequestedAt: null,
    });
  });

  it('shows invited-but-never-logged-in, then revoked; a stale revoke cannot undo a newer invite', async () => {
    const contactId = await addContact('Bob');
    const first = randomUUID();
    const second = randomUUID();
    const data = (inviteId: string) => ({
      inviteId,
      contactId,
      clientId,
      email: 'bob@example.com',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      sentBy: 'u1',
      resend: false,
    });
    await publish([event(Topic.InviteSent, contactId, 30, data(first))]);
    expect(await portalOf(contactId, (p) => p.state === 'invited')).toMatchObject({
      state: 'invited',
      lastLoginAt: null,
      acceptedAt: null,
    });

    const newer = event(Topic.InviteSent, contactId, 2, data(second));
    const staleRevoke = event(Topic.InviteRevoked, contactId, 20, { inviteId: first, contactId });
    await publish([newer, staleRevoke]);
    await portalOf(contactId, (p) => p.invitedAt === newer.envelope.occurredAt);
    // Give the stale revoke time to be consumed; the state must still be invited.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await portalOf(contactId, () => true)).toMatchObject({ state: 'invited' });

    await publish([event(Topic.InviteExpired, contactId, 0, { inviteId: second, contactId })]);
    expect(await portalOf(contactId, (p) => p.state === 'expired')).toMatchObject({ state: 'expired' });
  });

  // Race (README "Reliability"): staff delete a contact while its invite events are on their way.
  // A bulk invite's burst: each contact's events folded in order and written together (a write per
  // event made the status lag minutes behind the emails on a loaded machine, found by test:faults).
  it("folds a burst of 600 contacts' sends, stale and newer revokes and email outcomes, duplicates included", async () => {
    const count = 600;
    // A client of its own: the other tests read their contacts from the first page of theirs.
    const clientId = (
      await internal<{ id: string }>('POST', `${stack.url('contacts')}/firms/${firmId}/clients`, {
        body: { name: 'Burst Ltd', kind: 'business' },
      })
    ).body.id;
    const seeded = await seedContacts(
      process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
      `${testStackEnv().STACK_PREFIX}contacts`,
      {
        firmId,
        clientId,
        count,
        label: 'Burst',
        domain: 'burst.example',
      },
    );
    const sends = seeded.map(({ id }) =>
      event(Topic.InviteSent, id, 10, {
        inviteId: `inv-${id}`,
        contactId: id,
        clientId,
        email: 'x@burst.example',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        sentBy: 'u1',
        resend: false,
      }),
    );
    // Every third contact: a revoke older than the send (stays invited); every fifth: a newer one.
    const revokes = seeded.flatMap(({ id }, i) => [
      ...(i % 3 === 0 ? [event(Topic.InviteRevoked, id, 20, { inviteId: `inv-${id}`, contactId: id })] : []),
      ...(i % 5 === 0 ? [event(Topic.InviteRevoked, id, 5, { inviteId: `inv-${id}`, contactId: id })] : []),
    ]);
    const emails = seeded.map(({ id }) =>
      event(Topic.NotificationSent, id, 9, {
        notificationId: `n-${id}`,
        inviteId: `inv-${id}`,
        contactId: id,
        to: 'x@burst.example',
      }),
    );
    const started = Date.now();
    for (const batch of [sends, revokes, emails, sends.slice(0, 100)]) {
      await producer.send({
        topic: batch[0].topic,
        messages: batch.map((e) => ({ key: e.key, value: JSON.stringify(e.envelope) })),
      });
    }
    const expected = (i: number) => (i % 5 === 0 ? 'revoked' : 'invited');
    const deadline = Date.now() + 90_000;
    let wrong: string[] = [];
    for (;;) {
      const shown = new Map<string, { portal: { state: string }; inviteEmail: { status: string } | null }>();
      let cursor: string | null = null;
      do {
        const res: {
          body: {
            items: { id: string; portal: { state: string }; inviteEmail: { status: string } | null }[];
            nextCursor: string | null;
          };
        } = await internal(
          'GET',
          `${stack.url('contacts')}/firms/${firmId}/clients/${clientId}/contacts?limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        for (const item of res.body.items) shown.set(item.id, item);
        cursor = res.body.nextCursor;
      } while (cursor);
      wrong = seeded
        .map(({ id }, i) => ({ id, i, c: shown.get(id) }))
        .filter(({ i, c }) => c?.portal.state !== expected(i) || c?.inviteEmail?.status !== 'sent')
        .map(({ i, c }) => `${i}: ${JSON.stringify({ state: c?.portal.state, email: c?.inviteEmail?.status })}`);
      if (wrong.length === 0 || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    process.stdout.write(`portal burst: ${count} contacts shown after ${Date.now() - started} ms\n`);
  }, 150_000);

  it('drops the events of a contact deleted before they arrive', async () => {
    const contactId = await addContact('Dee');
    const deleted = await internal('DELETE', `${stack.url('contacts')}/firms/${firmId}/contacts/${contactId}`);
    expect(deleted.status).toBe(204);
    const inviteId = randomUUID();
    await publish([
      event(Topic.InviteSent, contactId, 2, {
        inviteId,
        contactId,
        clientId,
        email: 'dee@example.com',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        sentBy: 'u1',
        resend: false,
      }),
      event(Topic.InviteAccepted, contactId, 1, {
        inviteId,
        contactId,
        clientId,
        acceptedAt: new Date().toISOString(),
      }),
    ]);
    await stack.caughtUp('contacts', Topic.InviteSent);
    await stack.caughtUp('contacts', Topic.InviteAccepted);
    const gone = await internal('GET', `${stack.url('contacts')}/firms/${firmId}/contacts/${contactId}`);
    expect(gone.status).toBe(404);
  });

  it('parks a malformed event on the dead-letter topic and keeps consuming', async () => {
    const contactId = await addContact('Cy');
    await producer.send({ topic: Topic.InviteSent, messages: [{ key: contactId, value: '{"not":"an envelope"}' }] });
    await publish([event(Topic.PortalLogin, contactId, 0, { contactId, at: new Date().toISOString() })]);
    expect(await portalOf(contactId, (p) => p.lastLoginAt !== null)).toMatchObject({ state: 'not_invited' });
  });
});
