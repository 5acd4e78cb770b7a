import { Anchor, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { data, fieldError, formError } from '../../api/client';
import { FormError } from '../../ui/States';
import { api, session } from '../session';
import { useSessionState } from './SessionContext';

export function SignInPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const state = useSessionState();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: async () => data(await api.POST('/v1/auth/login', { body: { email, password } })),
    onSuccess: (tokens) => {
      session.start(tokens);
      const from = (location.state as { from?: string } | null)?.from;
      void navigate(from && from !== '/sign-in' ? from : '/clients', { replace: true });
    },
  });
  if (state === 'in' && !signIn.isPending && !signIn.isSuccess) return <Navigate to="/clients" replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <Container size={420} py="xl" component="main">
      <Title order={1} ta="center">
        Sign in
      </Title>
      <Text c="dimmed" ta="center" mb="lg">
        Client Portal for your firm
      </Text>
      <Paper withBorder p="lg" component="form" onSubmit={submit} aria-label="Sign in">
        <Stack>
          <FormError message={formError(signIn.error, ['email', 'password'])} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fieldError(signIn.error, 'email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError(signIn.error, 'password')}
          />
          <Button type="submit" loading={signIn.isPending}>
            Sign in
          </Button>
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
        </Stack>
      </Paper>
    </Container>
  );
}
