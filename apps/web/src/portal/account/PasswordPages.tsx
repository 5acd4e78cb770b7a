// The portal's forgot-password and reset-link pages, and the change-password part of User Settings.
import { Anchor, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { data } from '../../api/client';
import { ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm } from '../../ui/AccountForms';
import { PortalFrame } from '../PortalFrame';
import { api, rememberedFirm, session } from '../session';

export function ForgotPasswordPage() {
  const { firmSlug = '' } = useParams();
  return (
    <PortalFrame title="Forgot your password?">
      <ForgotPasswordForm
        request={async (email) => {
          data(await api.POST('/v1/portal/auth/password-reset', { body: { firm: firmSlug, email } }));
        }}
        after={
          <Text size="sm">
            <Anchor component={Link} to={`/${firmSlug}/sign-in`}>
              Back to sign in
            </Anchor>
          </Text>
        }
      />
    </PortalFrame>
  );
}

export function ResetPasswordPage() {
  const { token = '' } = useParams();
  // The firm comes with the answer; before it, the firm this browser last signed in to.
  const [firm, setFirm] = useState(rememberedFirm());
  return (
    <PortalFrame title="Set a new password">
      <ResetPasswordForm
        confirm={async (password) => {
          const answer = data(await api.POST('/v1/portal/auth/password-reset/confirm', { body: { token, password } }));
          setFirm(answer.firm);
          await session.signOut().catch(() => undefined);
        }}
        done={
          firm ? (
            <Text>
              <Anchor component={Link} to={`/${firm}/sign-in`}>
                Sign in
              </Anchor>
            </Text>
          ) : null
        }
        askAgain={
          firm ? (
            <Text>
              <Anchor component={Link} to={`/${firm}/forgot-password`}>
                Ask for a new link
              </Anchor>
            </Text>
          ) : (
            <Text>Ask for a new link from your portal&apos;s sign-in page.</Text>
          )
        }
      />
    </PortalFrame>
  );
}

/** In User Settings on Home. */
export function ChangePasswordSection() {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="password-heading">
      <Stack>
        <Title order={2} id="password-heading" size="h4">
          Password
        </Title>
        <ChangePasswordForm
          change={async (body) => {
            session.start(data(await api.POST('/v1/portal/auth/password', { body })));
          }}
        />
      </Stack>
    </Paper>
  );
}
