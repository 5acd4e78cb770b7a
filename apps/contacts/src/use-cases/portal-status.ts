import { EventEnvelope, Topic } from '@cp/contracts';
import { PortalProjection } from '../repositories/contact.schema';

export type PortalEvent =
  | EventEnvelope<Topic.InviteSent>
  | EventEnvelope<Topic.InviteAccepted>
  | EventEnvelope<Topic.InviteRevoked>
  | EventEnvelope<Topic.InviteExpired>
  | EventEnvelope<Topic.PortalLogin>
  | EventEnvelope<Topic.NewLinkRequested>;

const later = (a: Date | null, b: Date) => (a && a.getTime() >= b.getTime() ? a : b);

/**
 * The contact's portal status after one more event. Safe to apply twice and in any order:
 * - `accepted` is final: a contact with a portal account stays accepted, whatever arrives later;
 * - otherwise the event that happened last (occurredAt) decides between invited/revoked/expired,
 *   so a late-arriving revoke of an old invite cannot undo a newer send;
 * - dates only move forward (max), so repeats change nothing.
 */
export function applyPortalEvent(current: PortalProjection, event: PortalEvent): PortalProjection {
  const at = new Date(event.occurredAt);
  const next: PortalProjection = { ...current };
  const newerThanState = !current.stateAt || at.getTime() >= new Date(current.stateAt).getTime();

  switch (event.type) {
    case 'InviteSent':
      next.invitedAt = later(current.invitedAt, at);
      if (current.state !== 'accepted' && newerThanState) {
        Object.assign(next, { state: 'invited', stateAt: at, inviteId: event.data.inviteId });
      }
      break;
    case 'InviteAccepted': {
      const acceptedAt = new Date(event.data.acceptedAt);
      next.acceptedAt = current.acceptedAt ?? acceptedAt;
      Object.assign(next, { state: 'accepted', stateAt: later(current.stateAt, at), inviteId: event.data.inviteId });
      break;
    }
    case 'InviteRevoked':
    case 'InviteExpired':
      if (current.state !== 'accepted' && newerThanState) {
        const state = event.type === 'InviteRevoked' ? 'revoked' : 'expired';
        Object.assign(next, { state, stateAt: at, inviteId: event.data.inviteId });
      }
      break;
    case 'PortalLogin':
      next.lastLoginAt = later(current.lastLoginAt, new Date(event.data.at));
      break;
    case 'NewLinkRequested':
      // Kept whatever the state: whether it still shows is decided when read (newLinkRequestShown).
      next.newLinkRequestedAt = later(current.newLinkRequestedAt ?? null, at);
      break;
  }
  return next;
}

/**
 * "Asked for a new link <date>" shows until it is answered: a send after the request (invitedAt
 * later) or an accept hides it, whichever order the events arrived in.
 */
export function newLinkRequestShown(portal: Partial<PortalProjection> | undefined): Date | null {
  const asked = portal?.newLinkRequestedAt ?? null;
  if (!asked || portal?.state === 'accepted') return null;
  const invitedAt = portal?.invitedAt ?? null;
  return invitedAt && new Date(invitedAt).getTime() > new Date(asked).getTime() ? null : asked;
}
