import { ContactView, DomainError, ErrorCode, IssueInvitesCommand } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import type { StaffPrincipal } from '../auth/principals';
import type { ContactsClient } from '../repositories/contacts.client';
import type { InvitesClient } from '../repositories/invites.client';
import type { NotificationsClient } from '../repositories/notifications.client';
import { SendInvites } from './send-invites.use-case';

const staff: StaffPrincipal = { kind: 'staff', userId: 'u1', role: 'owner', scope: firmScope('firm-1') };

function contact(id: string, changes: Partial<ContactView> = {}): ContactView {
  return {
    id,
    clientIds: ['client-1'],
    firstName: 'Ada',
    lastName: id,
    email: `${id}@example.com`,
    ...changes,
  } as ContactView;
}

/** Contacts knows the given contacts (or is down); invites sends every target. */
function harness(known: ContactView[] | 'down') {
  const contacts = {
    getClient: jest.fn(() => Promise.resolve({ id: 'client-1' })),
    lookupContacts: jest.fn((_scope: unknown, ids: string[]) =>
      known === 'down'
        ? Promise.reject(new DomainError(ErrorCode.ServiceUnavailable, 'contacts did not answer in time'))
        : Promise.resolve(known.filter((c) => ids.includes(c.id))),
    ),
    staffUser: jest.fn(() =>
      Promise.resolve({ user: { id: 'u1', name: 'Grace', email: 'g@example.com' }, firm: { name: 'F', slug: 'f' } }),
    ),
  };
  const invites = {
    issue: jest.fn((_scope: unknown, command: IssueInvitesCommand) =>
      Promise.resolve({
        results: command.targets.map((t) => ({ contactId: t.contactId, status: 'sent' as const, inviteId: 'i' })),
        invites: [],
      }),
    ),
  };
  const send = new SendInvites(
    contacts as unknown as ContactsClient,
    invites as unknown as InvitesClient,
    {} as NotificationsClient,
  );
  return { send, invites, contacts };
}

describe('SendInvites.bulk', () => {
  it('looks every target up in one call, skips the ones that cannot be invited, sends the rest in one call', async () => {
    const { send, invites, contacts } = harness([
      contact('c1'),
      contact('c2', { email: null }),
      contact('c3', { clientIds: ['client-2'] }),
      contact('c5'),
    ]);
    const { results } = await send.bulk(staff, 'client-1', { contactIds: ['c1', 'c2', 'c3', 'c4', 'c5', 'c1'] });
    expect(results).toEqual([
      expect.objectContaining({ contactId: 'c1', status: 'sent' }),
      expect.objectContaining({ contactId: 'c2', status: 'skipped', code: ErrorCode.ContactEmailRequired }),
      expect.objectContaining({ contactId: 'c3', status: 'skipped', code: ErrorCode.NotFound }),
      expect.objectContaining({ contactId: 'c4', status: 'skipped', code: ErrorCode.NotFound }),
      expect.objectContaining({ contactId: 'c5', status: 'sent' }),
    ]);
    expect(contacts.lookupContacts).toHaveBeenCalledTimes(1);
    expect(invites.issue).toHaveBeenCalledTimes(1);
    expect(invites.issue.mock.calls[0][1].targets.map((t) => t.contactId)).toEqual(['c1', 'c5']);
  });

  it('answers 503 and invites nobody when the contacts cannot be looked up', async () => {
    const { send, invites } = harness('down');
    await expect(send.bulk(staff, 'client-1', { contactIds: ['c1', 'c2'] })).rejects.toMatchObject({
      code: ErrorCode.ServiceUnavailable,
    });
    expect(invites.issue).not.toHaveBeenCalled();
  });
});
