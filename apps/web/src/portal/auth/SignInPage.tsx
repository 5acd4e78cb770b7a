import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { data, fieldError, formError } from '../../api/client';
import { FormError } from '../../ui/States';
import { PortalFrame } from '../PortalFrame';
import { api, rememberFirm, session } from '../session';

export function SignInPage() {
  const { firmSlug = '' } = useParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: async () =>
      data(await api.POST('/v1/portal/auth/login', { body: { firm: firmSlug, email, password } })),
    onSuccess: (tokens) => {
      session.start(tokens);
      rememberFirm(firmSlug);
      void navigate('/', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };
  return (
    <PortalFrame title="Sign in to your portal">
      <form onSubmit={submit} aria-label="Sign in">
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
          <Text size="sm">
            <Anchor component={Link} to={`/${firmSlug}/forgot-password`}>
              Forgot password?
            </Anchor>
          </Text>
        </Stack>
      </form>
    </PortalFrame>
  );
}
