import { Center, Loader } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { data, type Schemas } from '../../api/client';
import { api, session } from '../session';

type State = 'checking' | 'in' | 'out';

const SessionState = createContext<State>('checking');

/** Restores the session from the refresh cookie once, then follows sign in and sign out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>(session.signedIn ? 'in' : 'checking');
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribe = session.subscribe((signedIn) => {
      if (!signedIn) queryClient.clear();
      setState(signedIn ? 'in' : 'out');
    });
    if (!session.signedIn) void session.renew().then((ok) => setState(ok ? 'in' : 'out'));
    return unsubscribe;
  }, [queryClient]);
  return <SessionState.Provider value={state}>{children}</SessionState.Provider>;
}

export const useSessionState = () => useContext(SessionState);

/** The signed-in routes: wait for the cookie check, send everyone else to sign in. */
export function RequireSession() {
  const state = useSessionState();
  const location = useLocation();
  if (state === 'checking') {
    return (
      <Center p="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (state === 'out') return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Outlet />;
}

export type StaffIdentity = Schemas['StaffIdentityModel'];

/** The signed-in staff member and their firm. */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: async () => data(await api.GET('/v1/me')) });
}
