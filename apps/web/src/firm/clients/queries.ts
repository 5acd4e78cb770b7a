import { data } from '../../api/client';
import { api } from '../session';

export const clientKeys = {
  list: (search: string) => ['clients', { search }] as const,
  one: (clientId: string) => ['clients', clientId] as const,
  contacts: (clientId: string) => ['clients', clientId, 'contacts'] as const,
  invites: (clientId: string) => ['clients', clientId, 'invites'] as const,
  files: (clientId: string) => ['clients', clientId, 'files'] as const,
  requests: (clientId: string) => ['clients', clientId, 'requests'] as const,
};

export const importKeys = {
  one: (importId: string) => ['imports', importId] as const,
};

export const fetchClients = async (search: string) =>
  data(await api.GET('/v1/clients', { params: { query: { search: search || undefined, limit: 100 } } }));

export const fetchClient = async (clientId: string) =>
  data(await api.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }));
