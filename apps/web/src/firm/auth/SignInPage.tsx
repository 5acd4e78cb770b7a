import { Anchor, Container, Paper, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { data } from '../../api/client';
import { SignInForm, type Credentials } from '../../ui/SignInForm';
import { api, session } from '../session';
import { useSessionState } from './SessionContext';

export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const state = useSessionState();
  const signIn = useMutation({
    mutationFn: async (body: Credentials) => data(await api.POST('/v1/auth/login', { body })),
    onSuccess: (tokens) => {
      session.start(tokens);
      const from = (location.state as { from?: string } | null)?.from;
      void navigate(from && from !== '/sign-in' ? from : '/clients', { replace: true });
    },
  });
  if (state === 'in' && !signIn.isPending && !signIn.isSuccess) return <Navigate to="/clients" replace />;
  return (
    <Container size={420} py="xl" component="main">
      <Title order={1} ta="center">
        Sign in
      </Title>
      <Text c="dimmed" ta="center" mb="lg">
        Client Portal for your firm
      </Text>
      <Paper withBorder p="lg">
        <SignInForm onSubmit={signIn.mutate} error={signIn.error} pending={signIn.isPending}>
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
      </Paper>
    </Container>
  );
}
