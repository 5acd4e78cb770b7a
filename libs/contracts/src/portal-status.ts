/** A contact's standing with the portal, as the firm sees it in the contacts list (API.md). */
export type PortalState = 'not_invited' | 'invited' | 'accepted' | 'revoked' | 'expired';

export interface PortalStatus {
  state: PortalState;
  invitedAt: string | null;
  acceptedAt: string | null;
  lastLoginAt: string | null;
  /** When the contact last asked for a new link from an expired or revoked one, unless a newer invite answered it. */
  newLinkRequestedAt: string | null;
}
