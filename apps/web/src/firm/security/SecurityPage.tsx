import { Alert, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { data, fieldError, formError } from '../../api/client';
import { FormError } from '../../ui/States';
import { useMe } from '../auth/SessionContext';
import { api } from '../session';
import { RecoveryCodes, TotpQrCode } from './TotpParts';

const keys = { totp: ['security', 'totp'] as const, settings: ['security', 'settings'] as const };

/** My authenticator app: set it up with a QR code and a first code; recovery codes shown once. */
function MyTwoStep() {
  const queries = useQueryClient();
  const status = useQuery({ queryKey: keys.totp, queryFn: async () => data(await api.GET('/v1/auth/totp')) });
  const enrol = useMutation({ mutationFn: async () => data(await api.POST('/v1/auth/totp/enrol')) });
  const [code, setCode] = useState('');
  const confirm = useMutation({
    mutationFn: async () => data(await api.POST('/v1/auth/totp/confirm', { body: { code: code.trim() } })),
    onSuccess: () => void queries.invalidateQueries({ queryKey: keys.totp }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate();
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="my-two-step">
      <Stack>
        <Title order={2} id="my-two-step" size="h3">
          Authenticator app
        </Title>
        {confirm.data ? (
          <RecoveryCodes codes={confirm.data.recoveryCodes} />
        ) : status.data?.enrolled ? (
          <Text>Two-step sign-in is on: {status.data.recoveryCodesLeft} recovery codes left.</Text>
        ) : enrol.data || enrol.error ? (
          <form onSubmit={submit} aria-label="Confirm the authenticator">
            <Stack>
              <TotpQrCode enrolment={enrol.data} error={enrol.error} />
              <FormError message={formError(confirm.error, ['code'])} />
              <TextInput
                label="Code from the app"
                autoComplete="one-time-code"
                inputMode="numeric"
                required
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                error={fieldError(confirm.error, 'code')}
              />
              <Button type="submit" loading={confirm.isPending}>
                Turn on two-step sign-in
              </Button>
            </Stack>
          </form>
        ) : (
          <Group>
            <Text>Sign in with a code from an authenticator app as well as your password.</Text>
            <Button onClick={() => enrol.mutate()} loading={enrol.isPending || status.isLoading}>
              Set up an authenticator app
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

/** The firm's policy (owner and admin). */
function FirmTwoStepSettings() {
  const queries = useQueryClient();
  const settings = useQuery({
    queryKey: keys.settings,
    queryFn: async () => data(await api.GET('/v1/settings/security')),
  });
  const [portalTwoStep, setPortal] = useState<string | null>(null);
  const [staffTwoStep, setStaff] = useState<string | null>(null);
  useEffect(() => {
    if (settings.data) {
      setPortal(settings.data.portalTwoStep);
      setStaff(settings.data.staffTwoStep);
    }
  }, [settings.data]);
  const save = useMutation({
    mutationFn: async () =>
      data(
        await api.PUT('/v1/settings/security', {
          body: {
            portalTwoStep: (portalTwoStep ?? 'required') as 'required' | 'optional' | 'off',
            staffTwoStep: (staffTwoStep ?? 'optional') as 'required' | 'optional',
          },
        }),
      ),
    onSuccess: () => void queries.invalidateQueries({ queryKey: keys.settings }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby="firm-two-step">
      <form onSubmit={submit} aria-label="Firm security settings">
        <Stack>
          <Title order={2} id="firm-two-step" size="h3">
            Firm security settings
          </Title>
          <FormError message={formError(save.error ?? settings.error)} />
          <Select
            label="Contacts: code by email at sign-in"
            data={[
              { value: 'required', label: 'Required' },
              { value: 'optional', label: 'Each contact decides' },
              { value: 'off', label: 'Off' },
            ]}
            value={portalTwoStep}
            onChange={setPortal}
            allowDeselect={false}
          />
          <Select
            label="Staff: authenticator app"
            data={[
              { value: 'required', label: 'Required for everyone' },
              { value: 'optional', label: 'Each staff member decides' },
            ]}
            value={staffTwoStep}
            onChange={setStaff}
            allowDeselect={false}
          />
          {save.isSuccess && (
            <Alert color="green" role="status">
              Saved.
            </Alert>
          )}
          <Button type="submit" loading={save.isPending} disabled={!settings.data}>
            Save security settings
          </Button>
        </Stack>
      </form>
    </Paper>
  );
}

export default function SecurityPage() {
  const me = useMe();
  const role = me.data?.user.role;
  return (
    <Stack maw={640}>
      <Title order={1}>Security</Title>
      <MyTwoStep />
      {(role === 'owner' || role === 'admin') && <FirmTwoStepSettings />}
    </Stack>
  );
}
