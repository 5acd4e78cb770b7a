// Forgot password, the emailed reset link's page, and the signed-in change (Account).
import { Anchor, Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { data, done } from '../../api/client';
import { ChangePasswordForm, ForgotPasswordForm, ResetPasswordForm } from '../../ui/AccountForms';
import { useMe } from '../auth/SessionContext';
import { api, session } from '../session';

function SignedOutPage({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Container size={420} py="xl" component="main">
      <Title order={1} ta="center" mb="lg">
        {title}
      </Title>
      <Paper withBorder p="lg">
        {children}
      </Paper>
    </Container>
  );
}

const backToSignIn = (
  <Text size="sm" ta="center">
    <Anchor component={Link} to="/sign-in">
      Back to sign in
    </Anchor>
  </Text>
);

export function ForgotPasswordPage() {
  return (
    <SignedOutPage title="Forgot your password?">
      <ForgotPasswordForm
        request={async (email) => {
          data(await api.POST('/v1/auth/password-reset', { body: { email } }));
        }}
        after={backToSignIn}
      />
    </SignedOutPage>
  );
}

export function ResetPasswordPage() {
  const { token = '' } = useParams();
  return (
    <SignedOutPage title="Set a new password">
      <ResetPasswordForm
        confirm={async (password) => {
          done(await api.POST('/v1/auth/password-reset/confirm', { body: { token, password } }));
          // Every session ended, this browser's too: forget it here as well.
          await session.signOut().catch(() => undefined);
        }}
        done={backToSignIn}
        askAgain={
          <Text size="sm" ta="center">
            <Anchor component={Link} to="/forgot-password">
              Ask for a new link
            </Anchor>
          </Text>
        }
      />
    </SignedOutPage>
  );
}

export default function AccountPage() {
  const me = useMe();
  return (
    <Stack maw={480}>
      <Title order={1}>Your account</Title>
      <Text>
        {me.data?.user.name} · {me.data?.user.email}
      </Text>
      <Paper withBorder p="md" component="section" aria-labelledby="password-heading">
        <Stack>
          <Title order={2} size="h4" id="password-heading">
            Password
          </Title>
          <ChangePasswordForm
            change={async (body) => {
              session.start(data(await api.POST('/v1/auth/password', { body })));
            }}
          />
        </Stack>
      </Paper>
    </Stack>
  );
}
