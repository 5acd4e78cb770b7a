import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { Center, Loader } from '@mantine/core';
import { RequireSession, SessionProvider } from './auth/SessionContext';
import { SignInPage } from './auth/SignInPage';
import { SignUpPage } from './auth/SignUpPage';
import { ForgotPasswordPage, ResetPasswordPage } from './account/PasswordPages';
import { Shell } from './layout/Shell';

// The signed-in screens load on demand: the sign-in page needs none of them.
const ClientsPage = lazy(async () => import('./clients/ClientsPage'));
const ClientPage = lazy(async () => import('./clients/ClientPage'));
const AccountPage = lazy(async () => import('./account/PasswordPages'));
const TemplatesPage = lazy(async () => import('./templates/TemplatesPage'));
const TemplateEditorPage = lazy(async () => import('./templates/TemplateEditorPage'));
const DeliveriesPage = lazy(async () => import('./deliveries/DeliveriesPage'));
const SettingsPage = lazy(async () => import('./settings/SettingsPage'));
const AuditPage = lazy(async () => import('./audit/AuditPage'));
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
            <Route path="/forgot-password" element={<ForgotPasswordPage />} />
            <Route path="/reset-password/:token" element={<ResetPasswordPage />} />
            <Route element={<RequireSession />}>
              <Route element={<Shell />}>
                <Route index element={<Navigate to="/clients" replace />} />
                <Route path="/clients" element={<ClientsPage />} />
                <Route path="/clients/:clientId" element={<ClientPage />} />
                <Route path="/account" element={<AccountPage />} />
                <Route path="/templates" element={<TemplatesPage />} />
                <Route path="/templates/:templateId" element={<TemplateEditorPage />} />
                <Route path="/deliveries" element={<DeliveriesPage />} />
                <Route path="/settings" element={<SettingsPage />} />
                <Route path="/audit" element={<AuditPage />} />
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
