import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { SignInPage } from './auth/SignInPage';
import { HomePage } from './home/HomePage';
import { InvitePage } from './invite/InvitePage';
import { ForgotPasswordPage, ResetPasswordPage } from './account/PasswordPages';
import { rememberedFirm } from './session';

export function PortalApp() {
  const firm = rememberedFirm();
  return (
    <BrowserRouter basename="/portal">
      <Routes>
        <Route path="/invite/:token" element={<InvitePage />} />
        <Route path="/:firmSlug/sign-in" element={<SignInPage />} />
        <Route path="/:firmSlug/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password/:token" element={<ResetPasswordPage />} />
        <Route path="/" element={<HomePage />} />
        <Route path="*" element={<Navigate to={firm ? `/${firm}/sign-in` : '/'} replace />} />
      </Routes>
    </BrowserRouter>
  );
}
