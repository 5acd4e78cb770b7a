import { Anchor, Button, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { data } from '../../api/client';
import { CodePrompt } from '../../ui/CodePrompt';
import { SignInForm, type Credentials } from '../../ui/SignInForm';
import { RecoveryCodes, TotpQrCode } from '../security/TotpParts';
import { api, session } from '../session';
import { useSessionState } from './SessionContext';

type Challenge = { challengeToken: string; method: 'email' | 'totp' | 'totp-enrol' };
type Tokens = { accessToken: string; expiresIn: number; recoveryCodes?: string[] };

/** While signing in, a firm that requires two-step has this staff member set up an authenticator. */
function EnrolWhileSigningIn({ challengeToken }: { challengeToken: string }) {
  const enrolment = useQuery({
    queryKey: ['two-step-enrol', challengeToken],
    queryFn: async () => data(await api.POST('/v1/auth/two-step/enrol', { body: { challengeToken } })),
    staleTime: Infinity,
  });
  return <TotpQrCode enrolment={enrolment.data} error={enrolment.error} />;
}

export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const state = useSessionState();
  const [challenge, setChallenge] = useState<Challenge | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const goOn = () => {
    const from = (location.state as { from?: string } | null)?.from;
    void navigate(from && from !== '/sign-in' ? from : '/clients', { replace: true });
  };
  const signedIn = (tokens: Tokens) => {
    session.start(tokens);
    // Recovery codes are shown once, before going on.
    if (tokens.recoveryCodes) setRecoveryCodes(tokens.recoveryCodes);
    else goOn();
  };
  const signIn = useMutation({
    mutationFn: async (body: Credentials) => data(await api.POST('/v1/auth/login', { body })),
    onSuccess: (answer: Tokens | Challenge) => {
      if ('challengeToken' in answer) setChallenge(answer);
      else signedIn(answer);
    },
  });
  const verify = useMutation({
    mutationFn: async ({ code, trustDevice }: { code: string; trustDevice: boolean }) =>
      data(
        await api.POST('/v1/auth/two-step', {
          body: { challengeToken: challenge?.challengeToken ?? '', code, trustDevice },
        }),
      ),
    onSuccess: signedIn,
    onError: (error) => {
      const code = (error as { code?: string }).code;
      if (code === 'TWO_STEP_TOO_MANY_ATTEMPTS' || code === 'TWO_STEP_EXPIRED') setChallenge(null);
    },
  });
  const busy = signIn.isPending || verify.isPending || !!recoveryCodes || (!!challenge && verify.isSuccess);
  if (state === 'in' && !busy && !signIn.isSuccess) return <Navigate to="/clients" replace />;
  let title = 'Sign in';
  let content;
  if (recoveryCodes) {
    title = 'Save your recovery codes';
    content = (
      <Stack>
        <RecoveryCodes codes={recoveryCodes} />
        <Button onClick={goOn}>I saved them, continue</Button>
      </Stack>
    );
  } else if (challenge) {
    const enrolling = challenge.method === 'totp-enrol';
    title = enrolling ? 'Set up two-step sign-in' : 'Two-step sign-in';
    content = (
      <Stack>
        {enrolling && <EnrolWhileSigningIn challengeToken={challenge.challengeToken} />}
        <CodePrompt
          instructions={
            enrolling
              ? 'Your firm requires an authenticator app. Scan the QR code with it, then enter the code it shows.'
              : 'Enter the code from your authenticator app.'
          }
          allowRecoveryCode={!enrolling}
          pending={verify.isPending}
          error={verify.error}
          onSubmit={(code, trustDevice) => verify.mutate({ code, trustDevice })}
        />
      </Stack>
    );
  } else {
    content = (
      <SignInForm onSubmit={signIn.mutate} error={verify.error ?? signIn.error} pending={signIn.isPending}>
        <Text size="sm" ta="center">
          <Anchor component={Link} to="/forgot-password">
            Forgot password?
          </Anchor>
        </Text>
        <Text size="sm" ta="center">
          New firm?{' '}
          <Anchor component={Link} to="/sign-up">
            Create an account
          </Anchor>
        </Text>
      </SignInForm>
    );
  }
  return (
    <Container size={420} py="xl" component="main">
      <Title order={1} ta="center">
        {title}
      </Title>
      <Text c="dimmed" ta="center" mb="lg">
        Client Portal for your firm
      </Text>
      <Paper withBorder p="lg">
        {content}
      </Paper>
    </Container>
  );
}
