import { Topic } from '@cp/contracts';
import { distinctEvents, internal, KafkaTap, TestStack } from '@cp/testing';
import { randomUUID } from 'node:crypto';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The relay dies between the database write and the publish: the event must still arrive
// after restart, and an idempotent consumer must see it exactly once.
describe('outbox relay crash', () => {
  const stack = new TestStack();
  const tap = new KafkaTap();

  beforeAll(async () => {
    await tap.start([Topic.ContactAdded]);
  }, 60_000);

  afterAll(async () => {
    await tap.stop();
    await stack.stopAll();
  });

  it('publishes what was written before a crash, once per event id', async () => {
    const firmId = `firm-${randomUUID()}`;
    // Relay off: the write commits but nothing is published, the state right before a crash.
    await stack.start(['contacts'], { OUTBOX_RELAY_ENABLED: 'false' });
    const client = await internal<{ id: string }>('POST', `${stack.url('contacts')}/firms/${firmId}/clients`, {
      body: { name: 'Crash Ltd', kind: 'business' },
    });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await internal<{ id: string }>(
        'POST',
        `${stack.url('contacts')}/firms/${firmId}/clients/${client.body.id}/contacts`,
        {
          body: { firstName: `C${i}`, lastName: 'Crash' },
        },
      );
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    await stack.get('contacts').kill();
    await sleep(1000);
    expect(tap.messages.filter((m) => m.value.firmId === firmId)).toHaveLength(0);

    // Restart with the relay: everything pending goes out.
    stack.get('contacts').start({ OUTBOX_RELAY_ENABLED: 'true' });
    await stack.get('contacts').waitReady();
    const seen = await tap.waitFor((m) => m.value.firmId === firmId, ids.length);
    const events = distinctEvents(seen);
    expect(events.map((e) => (e.data as { contactId: string }).contactId).sort()).toEqual([...ids].sort());

    // And nothing more arrives later: the outbox was emptied after the acknowledgement.
    await sleep(1500);
    expect(distinctEvents(tap.messages.filter((m) => m.value.firmId === firmId))).toHaveLength(ids.length);
  }, 120_000);
});
