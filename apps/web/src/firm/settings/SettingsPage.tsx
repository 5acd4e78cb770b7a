import { Alert, NativeSelect, NumberInput, PasswordInput, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { data, fieldError, type Schemas } from '../../api/client';
import { DataTable } from '../../ui/DataTable';
import { useFields } from '../../ui/form';
import { EmailPreview } from '../../ui/EmailPreview';
import { formatDate } from '../../ui/format';
import { useMe } from '../auth/SessionContext';
import { DEFAULT_TEMPLATE } from '../contacts/TemplatePicker';
import { api } from '../session';
import { templateKeys, useTemplatePreview } from '../templates/queries';
import { SettingsSection } from './SettingsSection';

const settingsKeys = {
  firm: ['firm'] as const,
  invites: ['settings', 'invites'] as const,
  reminders: ['settings', 'reminders'] as const,
  files: ['settings', 'files'] as const,
  users: ['users'] as const,
};

const MB = 1024 * 1024;
const ROLES = { owner: 'Owner', admin: 'Admin', staff: 'Staff' } as const;

/**
 * A form over one settings resource: it shows the server's values until the person edits them,
 * and the saved answer replaces both.
 */
function useSettingsForm<S, F>({
  key,
  load,
  store,
  toForm,
  fallback,
  onSaved,
}: {
  key: readonly string[];
  load: () => Promise<S>;
  store: (form: F) => Promise<S>;
  toForm: (settings: S) => F;
  fallback: F;
  onSaved?: () => Promise<unknown>;
}) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: key, queryFn: load });
  const [draft, setDraft] = useState<F | null>(null);
  const value = draft ?? (query.data === undefined ? fallback : toForm(query.data));
  const save = useMutation({
    mutationFn: async () => store(value),
    onSuccess: async (saved) => {
      queryClient.setQueryData(key, saved);
      setDraft(null);
      await onSaved?.();
    },
  });
  return { query, save, value, edit: (patch: Partial<F>) => setDraft({ ...value, ...patch }) };
}

export default function SettingsPage() {
  const me = useMe();
  const canChange = me.data ? me.data.user.role !== 'staff' : false;
  return (
    <Stack maw={760}>
      <Title order={1}>Settings</Title>
      {me.data && !canChange && (
        <Alert color="gray" variant="light">
          Only an owner or admin of your firm can change these settings.
        </Alert>
      )}
      <BrandingSettings canChange={canChange} />
      <InviteSettings canChange={canChange} />
      <ReminderSettings canChange={canChange} />
      <FileSettings canChange={canChange} />
      <StaffUsers canChange={canChange} />
    </Stack>
  );
}

function BrandingSettings({ canChange }: { canChange: boolean }) {
  const queryClient = useQueryClient();
  const preview = useTemplatePreview(DEFAULT_TEMPLATE);
  const { query, save, value, edit } = useSettingsForm({
    key: settingsKeys.firm,
    load: async () => data(await api.GET('/v1/firm')),
    store: async (form) =>
      data(
        await api.PATCH('/v1/firm/branding', {
          body: { logoUrl: form.logoUrl.trim() || null, brandColor: form.brandColor.trim() || null },
        }),
      ),
    toForm: (firm) => ({ logoUrl: firm.logoUrl ?? '', brandColor: firm.brandColor ?? '' }),
    fallback: { logoUrl: '', brandColor: '' },
    // Every email preview shows the branding: read them again.
    onSaved: async () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['me'] }),
        queryClient.invalidateQueries({ queryKey: templateKeys.all }),
      ]),
  });
  return (
    <SettingsSection
      title="Branding"
      description="Your logo and colour on top of every email and on the portal's invite page."
      query={query}
      save={save}
      fields={['logoUrl', 'brandColor']}
      canChange={canChange}
    >
      <TextInput
        label="Logo URL"
        description="An https address of an image; leave empty for none."
        type="url"
        placeholder="https://example.com/logo.png"
        value={value.logoUrl}
        onChange={(e) => edit({ logoUrl: e.currentTarget.value })}
        error={fieldError(save.error, 'logoUrl')}
      />
      <TextInput
        label="Brand colour"
        description="As #rrggbb, e.g. #1f4b99; leave empty for the portal's blue."
        placeholder="#1f4b99"
        maxLength={7}
        value={value.brandColor}
        onChange={(e) => edit({ brandColor: e.currentTarget.value })}
        error={fieldError(save.error, 'brandColor')}
        leftSection={
          /^#[0-9a-fA-F]{6}$/.test(value.brandColor) ? (
            <span aria-hidden style={{ width: 16, height: 16, borderRadius: 4, background: value.brandColor }} />
          ) : null
        }
      />
      <EmailPreview email={preview.data} loading={preview.isPending} height={300} />
    </SettingsSection>
  );
}

function InviteSettings({ canChange }: { canChange: boolean }) {
  const { query, save, value, edit } = useSettingsForm({
    key: settingsKeys.invites,
    load: async () => data(await api.GET('/v1/settings/invites')),
    store: async (form: Schemas['InviteSettingsDto']) => data(await api.PUT('/v1/settings/invites', { body: form })),
    toForm: (settings) => settings,
    fallback: { inviteExpiryDays: 30 },
  });
  return (
    <SettingsSection
      title="Invites"
      description="How long a new invite link works. Links already sent keep their date."
      query={query}
      save={save}
      fields={['inviteExpiryDays']}
      canChange={canChange}
    >
      <NumberInput
        label="Invite links stay valid for (days)"
        min={1}
        max={90}
        allowDecimal={false}
        value={value.inviteExpiryDays}
        onChange={(v) => edit({ inviteExpiryDays: Number(v) })}
        error={fieldError(save.error, 'inviteExpiryDays')}
      />
    </SettingsSection>
  );
}

function ReminderSettings({ canChange }: { canChange: boolean }) {
  const { query, save, value, edit } = useSettingsForm({
    key: settingsKeys.reminders,
    load: async () => data(await api.GET('/v1/settings/reminders')),
    store: async (form: { enabled: boolean; days: string }) => {
      // "3, 7" → [3, 7]; what is not a number goes to the API as NaN, and its message says what is wrong.
      const days = form.days
        .split(/[\s,]+/)
        .filter(Boolean)
        .map((d) => (/^\d+$/.test(d) ? Number(d) : Number.NaN));
      return data(await api.PUT('/v1/settings/reminders', { body: { enabled: form.enabled, days } }));
    },
    toForm: (settings) => ({ enabled: settings.enabled, days: settings.days.join(', ') }),
    fallback: { enabled: true, days: '3, 7' },
  });
  return (
    <SettingsSection
      title="Reminders"
      description="Emails to contacts whose invite is still pending, a number of days after it was sent."
      query={query}
      save={save}
      fields={['enabled', 'days']}
      canChange={canChange}
    >
      <Switch
        label="Send reminder emails"
        checked={value.enabled}
        onChange={(e) => edit({ enabled: e.currentTarget.checked })}
      />
      <TextInput
        label="Remind after (days)"
        description="1 to 5 numbers from 1 to 60, separated by commas"
        value={value.days}
        onChange={(e) => edit({ days: e.currentTarget.value })}
        error={fieldError(save.error, 'days')}
      />
    </SettingsSection>
  );
}

function FileSettings({ canChange }: { canChange: boolean }) {
  const { query, save, value, edit } = useSettingsForm({
    key: settingsKeys.files,
    load: async () => data(await api.GET('/v1/settings/files')),
    store: async (form: { mb: number }) =>
      data(await api.PUT('/v1/settings/files', { body: { maxUploadBytes: Math.round(form.mb * MB) } })),
    toForm: (settings) => ({ mb: Math.round(settings.maxUploadBytes / MB) }),
    fallback: { mb: 5120 },
  });
  return (
    <SettingsSection
      title="Files"
      description="The largest file staff or contacts can upload."
      query={query}
      save={save}
      fields={['maxUploadBytes']}
      canChange={canChange}
    >
      <NumberInput
        label="Upload limit (MB)"
        min={1}
        allowDecimal={false}
        thousandSeparator=","
        value={value.mb}
        onChange={(v) => edit({ mb: Number(v) })}
        error={fieldError(save.error, 'maxUploadBytes')}
      />
    </SettingsSection>
  );
}

const NEW_USER: { name: string; email: string; password: string; role: 'admin' | 'staff' } = {
  name: '',
  email: '',
  password: '',
  role: 'staff',
};

function StaffUsers({ canChange }: { canChange: boolean }) {
  const queryClient = useQueryClient();
  const users = useQuery({ queryKey: settingsKeys.users, queryFn: async () => data(await api.GET('/v1/users')) });
  const { values: form, bind, reset } = useFields(NEW_USER);
  const add = useMutation({
    mutationFn: async () => data(await api.POST('/v1/users', { body: form })),
    onSuccess: async () => {
      reset();
      await queryClient.invalidateQueries({ queryKey: settingsKeys.users });
    },
  });
  const items = users.data?.items ?? [];
  return (
    <Stack component="section" aria-labelledby="staff-users-heading">
      <Title order={2} size="h3" id="staff-users-heading">
        Staff users
      </Title>
      <DataTable
        label="Staff users"
        what="staff users"
        columns={['Name', 'Email', 'Role', 'Added']}
        query={users}
        empty={items.length === 0}
        emptyText="No staff users."
      >
        {items.map((u) => (
          <Table.Tr key={u.id}>
            <Table.Td>{u.name}</Table.Td>
            <Table.Td>{u.email}</Table.Td>
            <Table.Td>{ROLES[u.role]}</Table.Td>
            <Table.Td>{formatDate(u.createdAt)}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <SettingsSection
        title="Add a staff user"
        description="They sign in with this email and password; give them the password yourself."
        save={add}
        fields={['name', 'email', 'password', 'role']}
        canChange={canChange}
        submitLabel="Add staff user"
        doneText="Added"
      >
        <TextInput label="Name" required {...bind('name', add.error)} />
        <TextInput label="Email" type="email" required autoComplete="off" {...bind('email', add.error)} />
        <PasswordInput
          label="Initial password"
          description="12 characters or more"
          required
          autoComplete="new-password"
          {...bind('password', add.error)}
        />
        <NativeSelect
          label="Role"
          {...bind('role', add.error)}
          data={[
            { value: 'staff', label: 'Staff: clients, contacts, files' },
            { value: 'admin', label: 'Admin: also settings and staff users' },
          ]}
        />
      </SettingsSection>
    </Stack>
  );
}
