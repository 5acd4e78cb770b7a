import { Anchor, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { data } from '../../api/client';
import { SignInForm, type Credentials } from '../../ui/SignInForm';
import { PortalFrame } from '../PortalFrame';
import { api, rememberFirm, session } from '../session';

export function SignInPage() {
  const { firmSlug = '' } = useParams();
  const navigate = useNavigate();
  const signIn = useMutation({
    mutationFn: async (credentials: Credentials) =>
      data(await api.POST('/v1/portal/auth/login', { body: { firm: firmSlug, ...credentials } })),
    onSuccess: (tokens) => {
      session.start(tokens);
      rememberFirm(firmSlug);
      void navigate('/', { replace: true });
    },
  });
  return (
    <PortalFrame title="Sign in to your portal">
      <SignInForm onSubmit={signIn.mutate} error={signIn.error} pending={signIn.isPending}>
        <Text size="sm">
          <Anchor component={Link} to={`/${firmSlug}/forgot-password`}>
            Forgot password?
          </Anchor>
        </Text>
      </SignInForm>
    </PortalFrame>
  );
}
