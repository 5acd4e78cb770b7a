import { createEvent, Topic } from '@cp/contracts';
import { PortalProjection } from '../repositories/contact.schema';
import { applyPortalEvent, newLinkRequestShown, PortalEvent } from './portal-status';

const fresh = (): PortalProjection => ({
  state: 'not_invited',
  invitedAt: null,
  acceptedAt: null,
  lastLoginAt: null,
  newLinkRequestedAt: null,
  stateAt: null,
  inviteId: null,
  rev: 0,
});

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 9, minute));
const ev = <T extends Topic>(topic: T, minute: number, data: PortalEvent['data']) =>
  createEvent({ topic, firmId: 'f', correlationId: 'c', key: 'k', data: data as never, occurredAt: at(minute) })
    .envelope as PortalEvent;

const sent = (m: number, inviteId = 'i1') =>
  ev(Topic.InviteSent, m, {
    inviteId,
    contactId: 'k',
    clientId: 'c',
    email: 'a@b.c',
    expiresAt: at(60).toISOString(),
    sentBy: 'u',
    resend: false,
  });
const accepted = (m: number) =>
  ev(Topic.InviteAccepted, m, { inviteId: 'i1', contactId: 'k', clientId: 'c', acceptedAt: at(m).toISOString() });
const revoked = (m: number, inviteId = 'i1') => ev(Topic.InviteRevoked, m, { inviteId, contactId: 'k' });
const login = (m: number) => ev(Topic.PortalLogin, m, { contactId: 'k', at: at(m).toISOString() });

const fold = (events: PortalEvent[]) => events.reduce(applyPortalEvent, fresh());
const visible = (p: PortalProjection) => ({
  state: p.state,
  invitedAt: p.invitedAt,
  acceptedAt: p.acceptedAt,
  lastLoginAt: p.lastLoginAt,
});

describe('applyPortalEvent', () => {
  const inOrder = [sent(1), accepted(2), login(3), login(5)];
  const expected = { state: 'accepted', invitedAt: at(1), acceptedAt: at(2), lastLoginAt: at(5) };

  it('builds the status from events in order', () => {
    expect(visible(fold(inOrder))).toEqual(expected);
  });

  it('ends the same whatever the order and however often each event arrives', () => {
    const orders = [
      [login(5), accepted(2), sent(1), login(3)],
      [accepted(2), accepted(2), sent(1), sent(1), login(3), login(5), login(3)],
      [login(3), login(5), sent(1), accepted(2)],
    ];
    for (const order of orders) expect(visible(fold(order))).toEqual(expected);
  });

  it('lets the latest of send / revoke decide, not the arrival order', () => {
    // Invite 1 sent and revoked, then invite 2 sent; the revoke of invite 1 arrives last.
    expect(fold([sent(1, 'i1'), sent(10, 'i2'), revoked(5, 'i1')]).state).toBe('invited');
    expect(fold([sent(1, 'i1'), revoked(5, 'i1')]).state).toBe('revoked');
    expect(fold([revoked(5, 'i1'), sent(1, 'i1')]).state).toBe('revoked');
  });

  it('keeps accepted against a later revoke or expiry', () => {
    expect(fold([sent(1), accepted(2), revoked(9)]).state).toBe('accepted');
  });

  it('shows invited but never logged in', () => {
    expect(visible(fold([sent(1)]))).toEqual({
      state: 'invited',
      invitedAt: at(1),
      acceptedAt: null,
      lastLoginAt: null,
    });
  });
});

describe('newLinkRequestShown', () => {
  const asked = (m: number) =>
    ev(Topic.NewLinkRequested, m, { inviteId: 'i1', contactId: 'k', inviteState: 'expired' });
  const expired = (m: number) => ev(Topic.InviteExpired, m, { inviteId: 'i1', contactId: 'k' });

  it('shows the request whether it arrives before or after the expiry, and twice changes nothing', () => {
    for (const events of [
      [sent(1), expired(2), asked(3)],
      [asked(3), sent(1), expired(2)],
      [sent(1), asked(3), expired(2), asked(3)],
    ]) {
      expect(newLinkRequestShown(fold(events))).toEqual(at(3));
    }
  });

  it('hides it once a newer invite was sent or the contact accepted, in either order', () => {
    expect(newLinkRequestShown(fold([sent(1), expired(2), asked(3), sent(4, 'i2')]))).toBeNull();
    expect(newLinkRequestShown(fold([sent(4, 'i2'), asked(3), sent(1), expired(2)]))).toBeNull();
    expect(newLinkRequestShown(fold([sent(1), asked(3), accepted(5)]))).toBeNull();
  });
});
