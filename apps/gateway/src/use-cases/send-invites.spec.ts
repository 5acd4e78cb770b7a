import { ContactView, DomainError, ErrorCode, IssueInvitesCommand } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import type { StaffPrincipal } from '../auth/principals';
import type { ContactsClient } from '../repositories/contacts.client';
import type { InvitesClient } from '../repositories/invites.client';
import type { NotificationsClient } from '../repositories/notifications.client';
import { SendInvites } from './send-invites.use-case';

const staff: StaffPrincipal = { kind: 'staff', userId: 'u1', role: 'owner', scope: firmScope('firm-1') };

function contact(id: string): ContactView {
  return { id, clientIds: ['client-1'], firstName: 'Ada', lastName: id, email: `${id}@example.com` } as ContactView;
}

/** Contacts answers for every id but the ones listed, which time out. */
function harness(timingOut: string[]) {
  const contacts = {
    getClient: jest.fn(() => Promise.resolve({ id: 'client-1' })),
    getContact: jest.fn((_scope: unknown, id: string) =>
      timingOut.includes(id)
        ? Promise.reject(new DomainError(ErrorCode.ServiceUnavailable, 'contacts did not answer in time'))
        : Promise.resolve(contact(id)),
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
  return { send, invites };
}

describe('SendInvites.bulk', () => {
  it('skips only the contact whose look-up failed, and invites the rest', async () => {
    const { send, invites } = harness(['c2']);
    const { results } = await send.bulk(staff, 'client-1', { contactIds: ['c1', 'c2', 'c3'] });
    expect(results).toEqual([
      expect.objectContaining({ contactId: 'c1', status: 'sent' }),
      expect.objectContaining({ contactId: 'c2', status: 'skipped', code: ErrorCode.ServiceUnavailable }),
      expect.objectContaining({ contactId: 'c3', status: 'sent' }),
    ]);
    expect(invites.issue.mock.calls[0][1].targets.map((t) => t.contactId)).toEqual(['c1', 'c3']);
  });

  it('answers 503 and invites nobody when no contact could be looked up', async () => {
    const { send, invites } = harness(['c1', 'c2']);
    await expect(send.bulk(staff, 'client-1', { contactIds: ['c1', 'c2'] })).rejects.toMatchObject({
      code: ErrorCode.ServiceUnavailable,
    });
    expect(invites.issue).not.toHaveBeenCalled();
  });
});
