import { createEvent, Topic } from '@cp/contracts';
import { Contact, PortalProjection } from '../repositories/contact.schema';
import { ContactRepository } from '../repositories/contact.repository';
import { ApplyPortalEvent } from './apply-portal-event.use-case';
import { PortalEvent } from './portal-status';

const portal = (rev: number): PortalProjection => ({
  state: 'not_invited',
  invitedAt: null,
  acceptedAt: null,
  lastLoginAt: null,
  newLinkRequestedAt: null,
  stateAt: null,
  inviteId: null,
  rev,
});
const sent = (contactId: string, minute: number, inviteId: string) =>
  createEvent({
    topic: Topic.InviteSent,
    firmId: 'f1',
    correlationId: 'c',
    key: contactId,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 9, minute)),
    data: {
      inviteId,
      contactId,
      clientId: 'cl',
      email: `${contactId}@x.test`,
      expiresAt: '2026-02-01T00:00:00Z',
      sentBy: 'u',
      resend: false,
    },
  }).envelope as PortalEvent;

function repository(stored: Contact[], written: (n: number) => number) {
  const replacements: { id: string; rev: number; portal: PortalProjection }[][] = [];
  const repo = {
    findByIds: jest.fn(async (_scope: unknown, ids: string[]) => stored.filter((c) => ids.includes(c._id))),
    replacePortals: jest.fn(async (_scope: unknown, given: { id: string; rev: number; portal: PortalProjection }[]) => {
      replacements.push(given);
      return written(given.length);
    }),
  };
  return { repo: repo as unknown as ContactRepository, replacements, calls: repo };
}

describe('ApplyPortalEvent.executeMany', () => {
  const contacts = [
    { _id: 'a', portal: portal(3) },
    { _id: 'b', portal: portal(0) },
  ] as Contact[];

  it('reads the batch once, folds each contact its events in order, and writes them in one go', async () => {
    const { repo, replacements, calls } = repository(contacts, (n) => n);
    await new ApplyPortalEvent(repo).executeMany([
      sent('a', 1, 'i1'),
      sent('b', 2, 'i2'),
      sent('a', 5, 'i3'),
      sent('gone', 1, 'i4'),
    ]);
    expect(calls.findByIds).toHaveBeenCalledTimes(1);
    expect(replacements).toHaveLength(1);
    const byId = new Map(replacements[0].map((r) => [r.id, r]));
    expect([...byId.keys()].sort()).toEqual(['a', 'b']); // a deleted contact gets nothing
    expect(byId.get('a')).toMatchObject({ rev: 3, portal: { state: 'invited', inviteId: 'i3' } });
    expect(byId.get('b')).toMatchObject({ rev: 0, portal: { state: 'invited', inviteId: 'i2' } });
  });

  it('throws when another writer changed a contact meanwhile, so the consumer applies the batch one by one', async () => {
    const { repo } = repository(contacts, (n) => n - 1);
    await expect(new ApplyPortalEvent(repo).executeMany([sent('a', 1, 'i1'), sent('b', 2, 'i2')])).rejects.toThrow(
      /changed meanwhile/,
    );
  });
});
