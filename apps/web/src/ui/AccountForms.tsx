// The password forms both areas share: forgot password, set a new one from the emailed link, and
// the signed-in change. Each area passes the call to its own routes.
import { Alert, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, fieldError, formError } from '../api/client';
import { FormError } from './States';

/** Words for the reset-link codes, and whether asking again helps. */
const LINK_PROBLEMS: Record<string, string> = {
  RESET_LINK_USED: 'This link was already used to set a password.',
  RESET_LINK_EXPIRED: 'This link has expired: links work for 30 minutes.',
  RESET_LINK_SUPERSEDED: 'A newer link was sent: use the latest email.',
  RESET_LINK_INVALID: 'This link is not valid.',
};

export function ForgotPasswordForm({
  request,
  after,
}: {
  request: (email: string) => Promise<void>;
  /** What to offer once the request is in, e.g. a link back to sign in. */
  after: ReactNode;
}) {
  const [email, setEmail] = useState('');
  const ask = useMutation({ mutationFn: async () => request(email) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    ask.mutate();
  };
  if (ask.isSuccess) {
    return (
      <Stack>
        <Alert color="blue" role="status" title="Check your email">
          If an account uses {email}, we sent it a link to set a new password. The link works once, for 30 minutes.
        </Alert>
        {after}
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} aria-label="Reset your password">
      <Stack>
        <Text size="sm">Enter your account&apos;s email and we will send you a link to set a new password.</Text>
        <FormError message={formError(ask.error, ['email'])} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldError(ask.error, 'email')}
        />
        <Button type="submit" loading={ask.isPending}>
          Send reset link
        </Button>
        {after}
      </Stack>
    </form>
  );
}

export function ResetPasswordForm({
  confirm,
  done,
  askAgain,
}: {
  confirm: (password: string) => Promise<void>;
  /** Shown once the password is set (a way to sign in). */
  done: ReactNode;
  /** A way to ask for a new link, shown when this one cannot be used. */
  askAgain: ReactNode;
}) {
  const [password, setPassword] = useState('');
  const reset = useMutation({ mutationFn: async () => confirm(password) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reset.mutate();
  };
  if (reset.isSuccess) {
    return (
      <Stack>
        <Alert color="blue" role="status" title="Password changed">
          Your new password is set, and every session of your account was signed out. Sign in with the new password.
        </Alert>
        {done}
      </Stack>
    );
  }
  const linkProblem = reset.error instanceof ApiError ? LINK_PROBLEMS[reset.error.code] : undefined;
  if (linkProblem) {
    return (
      <Stack>
        <Alert color="red" role="alert" title="This link no longer works">
          {linkProblem}
        </Alert>
        {askAgain}
      </Stack>
    );
  }
  return (
    <form onSubmit={submit} aria-label="Set a new password">
      <Stack>
        <FormError message={formError(reset.error, ['password'])} />
        <PasswordInput
          label="New password"
          description="12 characters or more; a few words together make a strong one"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fieldError(reset.error, 'password')}
        />
        <Button type="submit" loading={reset.isPending}>
          Set new password
        </Button>
      </Stack>
    </form>
  );
}

export function ChangePasswordForm({
  change,
}: {
  change: (input: { currentPassword: string; newPassword: string }) => Promise<void>;
}) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const save = useMutation({
    mutationFn: async () => change({ currentPassword, newPassword }),
    onSuccess: () => {
      setCurrent('');
      setNew('');
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const wrongCurrent =
    save.error instanceof ApiError && save.error.code === 'CURRENT_PASSWORD_INCORRECT'
      ? 'The current password is not correct.'
      : undefined;
  return (
    <form onSubmit={submit} aria-label="Change password">
      <Stack>
        <FormError message={wrongCurrent ? undefined : formError(save.error, ['currentPassword', 'newPassword'])} />
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          value={currentPassword}
          onChange={(e) => setCurrent(e.currentTarget.value)}
          error={wrongCurrent ?? fieldError(save.error, 'currentPassword')}
        />
        <PasswordInput
          label="New password"
          description="12 characters or more; your other sessions will be signed out"
          autoComplete="new-password"
          required
          value={newPassword}
          onChange={(e) => setNew(e.currentTarget.value)}
          error={fieldError(save.error, 'newPassword')}
        />
        <Button type="submit" variant="default" loading={save.isPending}>
          Change password
        </Button>
        {save.isSuccess && (
          <Text size="sm" role="status">
            Password changed. Your other sessions were signed out.
          </Text>
        )}
      </Stack>
    </form>
  );
}
