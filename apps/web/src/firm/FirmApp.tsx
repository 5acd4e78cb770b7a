import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { RequireSession, SessionProvider } from './auth/SessionContext';
import { SignInPage } from './auth/SignInPage';
import { SignUpPage } from './auth/SignUpPage';
import { Shell } from './layout/Shell';

// The signed-in screens load on demand: the sign-in page needs none of them.
const ClientsPage = lazy(async () => import('./clients/ClientsPage'));
const ClientPage = lazy(async () => import('./clients/ClientPage'));
const SecurityPage = lazy(async () => import('./security/SecurityPage'));

const loading = (
  <Center p="xl">
    <Loader aria-label="Loading" />
  </Center>
);

export function FirmApp() {
  return (
    <BrowserRouter basename="/app">
      <SessionProvider>
        <Suspense fallback={loading}>
          <Routes>
            <Route path="/sign-in" element={<SignInPage />} />
            <Route path="/sign-up" element={<SignUpPage />} />
            <Route element={<RequireSession />}>
              <Route element={<Shell />}>
                <Route index element={<Navigate to="/clients" replace />} />
                <Route path="/clients" element={<ClientsPage />} />
                <Route path="/clients/:clientId" element={<ClientPage />} />
                <Route path="/security" element={<SecurityPage />} />
              </Route>
            </Route>
            <Route path="*" element={<Navigate to="/clients" replace />} />
          </Routes>
        </Suspense>
      </SessionProvider>
    </BrowserRouter>
  );
}
