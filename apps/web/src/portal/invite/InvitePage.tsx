import { Anchor, Button, Loader, PasswordInput, Progress, Stack, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { data, fieldError, formError } from '../../api/client';
import { FormError } from '../../ui/States';
import { PortalFrame } from '../PortalFrame';
import { api, rememberFirm, session } from '../session';
import { passwordStrength } from './password-strength';

const REASONS: Record<string, string> = {
  expired: 'This invite link has expired.',
  revoked: 'This invite was withdrawn by the firm.',
  accepted: 'This invite link was already used to create an account.',
  unknown: 'This invite link is not valid. It may have been replaced by a newer email.',
};

export function InvitePage() {
  const { token = '' } = useParams();
  const preview = useQuery({
    queryKey: ['invite', token],
    queryFn: async () => data(await api.GET('/v1/portal/invites/{token}', { params: { path: { token } } })),
  });
  const [creating, setCreating] = useState(false);
  if (preview.isPending) {
    return (
      <PortalFrame title="Your invitation">
        <Loader aria-label="Loading your invitation" />
      </PortalFrame>
    );
  }
  if (preview.error || !preview.data) {
    return (
      <PortalFrame title="Your invitation">
        <FormError message={formError(preview.error) ?? 'The invitation could not be loaded.'} />
      </PortalFrame>
    );
  }
  const invite = preview.data;
  if (!invite.valid) {
    return (
      <PortalFrame firm={invite.firm} title="This link no longer works">
        <Stack>
          <Text>{REASONS[invite.reason ?? 'unknown'] ?? REASONS.unknown}</Text>
          {invite.reason === 'expired' || invite.reason === 'revoked' ? (
            <AskForNewLink token={token} firmName={invite.firm?.name ?? 'your firm'} />
          ) : null}
          {invite.firm && (
            <Text>
              Already have an account?{' '}
              <Anchor component={Link} to={`/${invite.firm.slug}/sign-in`}>
                Sign in
              </Anchor>
            </Text>
          )}
        </Stack>
      </PortalFrame>
    );
  }
  return (
    <PortalFrame firm={invite.firm} title={creating ? 'Create your account' : 'You are invited'}>
      {creating ? (
        <CreateAccount token={token} email={invite.email ?? ''} firmSlug={invite.firm?.slug ?? ''} />
      ) : (
        <Stack>
          <Text>
            {invite.firm?.name ?? 'Your firm'} invited <strong>{invite.email}</strong> to their secure client portal, to
            exchange documents with them.
          </Text>
          <Button onClick={() => setCreating(true)}>Create Account</Button>
        </Stack>
      )}
    </PortalFrame>
  );
}

function CreateAccount({ token, email, firmSlug }: { token: string; email: string; firmSlug: string }) {
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const strength = passwordStrength(password, email);
  const accept = useMutation({
    mutationFn: async () => data(await api.POST('/v1/portal/invites/accept', { body: { token, password } })),
    onSuccess: (tokens) => {
      session.start(tokens);
      if (firmSlug) rememberFirm(firmSlug);
      void navigate('/', { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="Create your account">
      <Stack>
        <FormError message={formError(accept.error, ['password'])} />
        <Text size="sm">
          Your account&apos;s email: <strong>{email}</strong>
        </Text>
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <PasswordInput
          label="Password"
          description="12 characters or more; a few words together make a strong one"
          autoComplete="new-password"
          required
          data-autofocus
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fieldError(accept.error, 'password')}
        />
        <Stack gap={4}>
          <Progress
            value={strength.score * 25}
            color={strength.score >= 3 ? 'green.9' : 'orange.9'}
            aria-label="Password strength"
          />
          <Text size="sm" aria-live="polite">
            Strength: {strength.words}
          </Text>
        </Stack>
        <Button type="submit" loading={accept.isPending}>
          Create Account
        </Button>
      </Stack>
    </form>
  );
}

/** Tells the firm (the staff member who invited the contact) that this link needs replacing. */
function AskForNewLink({ token, firmName }: { token: string; firmName: string }) {
  const ask = useMutation({
    mutationFn: async () => data(await api.POST('/v1/portal/invites/new-link-request', { body: { token } })),
  });
  if (ask.isSuccess) {
    return <Text role="status">We asked {firmName} to send you a new link. It will come by email from them.</Text>;
  }
  return (
    <Stack gap="xs">
      <FormError message={formError(ask.error)} />
      <Button onClick={() => ask.mutate()} loading={ask.isPending}>
        Ask {firmName} for a new link
      </Button>
    </Stack>
  );
}
