import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { fieldError, formError } from '../api/client';
import { FormError } from './States';

export interface Credentials {
  email: string;
  password: string;
}

/** Email and password, with the API's own messages next to each field; staff and contacts alike. */
export function SignInForm({
  onSubmit,
  error,
  pending,
  children,
}: {
  onSubmit: (credentials: Credentials) => void;
  error: unknown;
  pending: boolean;
  /** Below the button: links to sign up, forgotten password… */
  children?: ReactNode;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({ email, password });
  };
  return (
    <form onSubmit={submit} aria-label="Sign in">
      <Stack>
        <FormError message={formError(error, ['email', 'password'])} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldError(error, 'email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fieldError(error, 'password')}
        />
        <Button type="submit" loading={pending}>
          Sign in
        </Button>
        {children}
      </Stack>
    </form>
  );
}
