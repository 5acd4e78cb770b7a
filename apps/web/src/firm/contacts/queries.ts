import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { data, type Schemas } from '../../api/client';
import { clientKeys } from '../clients/queries';
import { api } from '../session';

export type Contact = Schemas['ContactModel'];
export type Invite = Schemas['InviteModel'];

// The portal status follows events (invite sent, accepted…): after a change the list is read
// again for a short while, so the row updates without a reload.
const WATCH_MS = 90_000;

export function useContactsWatch() {
  const [until, setUntil] = useState(0);
  const watch = useCallback(() => setUntil(Date.now() + WATCH_MS), []);
  return { interval: () => (Date.now() < until ? 2000 : false) as number | false, watch };
}

export function useContacts(clientId: string, interval: () => number | false) {
  return useQuery({
    queryKey: clientKeys.contacts(clientId),
    queryFn: async () =>
      data(await api.GET('/v1/clients/{clientId}/contacts', { params: { path: { clientId }, query: { limit: 200 } } })),
    enabled: Boolean(clientId),
    refetchInterval: interval,
  });
}

/** The pending invite of each contact of the client (for Resend and Revoke). */
export function usePendingInvites(clientId: string, interval: () => number | false) {
  return useQuery({
    queryKey: clientKeys.invites(clientId),
    queryFn: async () => {
      const page = data(
        await api.GET('/v1/invites', { params: { query: { clientId, status: 'pending', limit: 200 } } }),
      );
      return new Map(page.items.map((invite) => [invite.contactId, invite]));
    },
    refetchInterval: interval,
  });
}

export function useRefreshContacts(clientId: string) {
  const queryClient = useQueryClient();
  return async () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: clientKeys.contacts(clientId) }),
      queryClient.invalidateQueries({ queryKey: clientKeys.invites(clientId) }),
    ]);
}

export const fullName = (c: { firstName: string; lastName: string }) => `${c.firstName} ${c.lastName}`.trim();
