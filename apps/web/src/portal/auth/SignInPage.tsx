import { Anchor, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { data } from '../../api/client';
import { CodePrompt } from '../../ui/CodePrompt';
import { SignInForm, type Credentials } from '../../ui/SignInForm';
import { PortalFrame } from '../PortalFrame';
import { api, rememberFirm, session } from '../session';

type Answer = Awaited<ReturnType<typeof signInWith>>;

async function signInWith(firm: string, { email, password }: Credentials) {
  return data(await api.POST('/v1/portal/auth/login', { body: { firm, email, password } }));
}

/** Password first; when the firm asks for it, the code that was emailed. */
export function SignInPage() {
  const { firmSlug = '' } = useParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const signedIn = (tokens: { accessToken: string; expiresIn: number }) => {
    session.start(tokens);
    rememberFirm(firmSlug);
    void navigate('/', { replace: true });
  };
  const signIn = useMutation({
    mutationFn: async (credentials: Credentials) => {
      setEmail(credentials.email);
      return signInWith(firmSlug, credentials);
    },
    onSuccess: (answer: Answer) => {
      if ('challengeToken' in answer) setChallenge(answer.challengeToken);
      else signedIn(answer);
    },
  });
  const verify = useMutation({
    mutationFn: async ({ code, trustDevice }: { code: string; trustDevice: boolean }) =>
      data(
        await api.POST('/v1/portal/auth/two-step', {
          body: { challengeToken: challenge ?? '', code, trustDevice },
        }),
      ),
    onSuccess: signedIn,
    onError: (error) => {
      // A locked or expired challenge cannot be used again: back to the password.
      const code = (error as { code?: string }).code;
      if (code === 'TWO_STEP_TOO_MANY_ATTEMPTS' || code === 'TWO_STEP_EXPIRED') setChallenge(null);
    },
  });
  if (challenge) {
    return (
      <PortalFrame title="Check your email">
        <CodePrompt
          instructions={`We sent a six-digit code to ${email}. It works for 10 minutes.`}
          pending={verify.isPending}
          error={verify.error}
          onSubmit={(code, trustDevice) => verify.mutate({ code, trustDevice })}
        />
      </PortalFrame>
    );
  }
  return (
    <PortalFrame title="Sign in to your portal">
      <SignInForm onSubmit={signIn.mutate} error={verify.error ?? signIn.error} pending={signIn.isPending}>
        <Text size="sm">
          <Anchor component={Link} to={`/${firmSlug}/forgot-password`}>
            Forgot password?
          </Anchor>
        </Text>
      </SignInForm>
    </PortalFrame>
  );
}
