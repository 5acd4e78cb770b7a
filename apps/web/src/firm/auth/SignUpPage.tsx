import { Anchor, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { data, fieldError, formError } from '../../api/client';
import { FormError } from '../../ui/States';
import { api, session } from '../session';

const FIELDS = ['firmName', 'name', 'email', 'password'];

export function SignUpPage() {
  const navigate = useNavigate();
  const [form, setForm] = useState({ firmName: '', name: '', email: '', password: '' });
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [key]: e.currentTarget.value });
  const signUp = useMutation({
    mutationFn: async () => data(await api.POST('/v1/firms', { body: form })),
    onSuccess: (answer) => {
      session.start(answer);
      void navigate('/clients', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    signUp.mutate();
  };
  return (
    <Container size={460} py="xl" component="main">
      <Title order={1} ta="center" mb="lg">
        Create your firm&apos;s portal
      </Title>
      <Paper withBorder p="lg" component="form" onSubmit={submit} aria-label="Sign up">
        <Stack>
          <FormError message={formError(signUp.error, FIELDS)} />
          <TextInput
            label="Firm name"
            required
            value={form.firmName}
            onChange={set('firmName')}
            error={fieldError(signUp.error, 'firmName')}
          />
          <TextInput
            label="Your name"
            required
            autoComplete="name"
            value={form.name}
            onChange={set('name')}
            error={fieldError(signUp.error, 'name')}
          />
          <TextInput
            label="Work email"
            type="email"
            required
            autoComplete="username"
            value={form.email}
            onChange={set('email')}
            error={fieldError(signUp.error, 'email')}
          />
          <PasswordInput
            label="Password"
            description="12 characters or more"
            required
            autoComplete="new-password"
            value={form.password}
            onChange={set('password')}
            error={fieldError(signUp.error, 'password')}
          />
          <Button type="submit" loading={signUp.isPending}>
            Create account
          </Button>
          <Text size="sm" ta="center">
            Already have an account?{' '}
            <Anchor component={Link} to="/sign-in">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </Paper>
    </Container>
  );
}
