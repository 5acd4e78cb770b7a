import { Anchor, Button, Container, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { data, formError } from '../../api/client';
import { useFields } from '../../ui/form';
import { FormError } from '../../ui/States';
import { api, session } from '../session';

const FIELDS = ['firmName', 'name', 'email', 'password'];

export function SignUpPage() {
  const navigate = useNavigate();
  const { values: form, bind } = useFields({ firmName: '', name: '', email: '', password: '' });
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
          <TextInput label="Firm name" required {...bind('firmName', signUp.error)} />
          <TextInput label="Your name" required autoComplete="name" {...bind('name', signUp.error)} />
          <TextInput
            label="Work email"
            type="email"
            required
            autoComplete="username"
            {...bind('email', signUp.error)}
          />
          <PasswordInput
            label="Password"
            description="12 characters or more"
            required
            autoComplete="new-password"
            {...bind('password', signUp.error)}
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
