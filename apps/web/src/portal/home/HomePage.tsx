import { Button, Center, Container, Group, Loader, Paper, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Navigate } from 'react-router';
import { data, formError } from '../../api/client';
import { downloadFile, uploadFile } from '../../api/upload';
import { DataTable } from '../../ui/DataTable';
import { FileUpload } from '../../ui/FileUpload';
import { useFields } from '../../ui/form';
import { SignOutButton } from '../../ui/SignOutButton';
import { formatBytes, formatDate, formatDateTime } from '../../ui/format';
import { FormError, ListState } from '../../ui/States';
import { api, rememberedFirm, session } from '../session';
import { ChangePasswordSection } from '../account/PasswordPages';
import { TwoStepPreference } from '../account/TwoStepPreference';

type Gate = 'checking' | 'in' | 'out';

/** Home: the To-Do (open requests, each with its upload), my files, Add a File, my settings. */
export function HomePage() {
  const [gate, setGate] = useState<Gate>(session.signedIn ? 'in' : 'checking');
  useEffect(() => {
    if (!session.signedIn) void session.renew().then((ok) => setGate(ok ? 'in' : 'out'));
    return session.subscribe((signedIn) => setGate(signedIn ? 'in' : 'out'));
  }, []);
  if (gate === 'checking') {
    return (
      <Center p="xl">
        <Loader aria-label="Loading" />
      </Center>
    );
  }
  if (gate === 'out') {
    const firm = rememberedFirm();
    if (firm) return <Navigate to={`/${firm}/sign-in`} replace />;
    return (
      <Container size={480} py="xl" component="main">
        <Title order={1}>Client portal</Title>
        <Text mt="md">Open the link in your invitation email, or your firm&apos;s sign-in page.</Text>
      </Container>
    );
  }
  return <Home />;
}

function Home() {
  const queryClient = useQueryClient();
  const me = useQuery({ queryKey: ['me'], queryFn: async () => data(await api.GET('/v1/portal/me')) });
  const todos = useQuery({
    queryKey: ['todos'],
    queryFn: async () => data(await api.GET('/v1/portal/todos', { params: { query: { limit: 100 } } })),
  });
  const files = useQuery({
    queryKey: ['files'],
    queryFn: async () => data(await api.GET('/v1/portal/files', { params: { query: { limit: 200 } } })),
  });
  const reload = async () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['todos'] }),
      queryClient.invalidateQueries({ queryKey: ['files'] }),
    ]);
  const todoItems = todos.data?.items ?? [];
  const fileItems = files.data?.items ?? [];
  return (
    <Container size="md" py="md">
      <Group justify="space-between" component="header" mb="md">
        <Text fw={700}>{me.data ? `${me.data.contact.firstName} ${me.data.contact.lastName}` : 'Client portal'}</Text>
        <SignOutButton session={session} />
      </Group>
      <Stack component="main" gap="xl">
        <Title order={1}>Home</Title>
        <Stack component="section" aria-labelledby="todo-heading">
          <Title order={2} id="todo-heading">
            To-Do
          </Title>
          <ListState
            loading={todos.isPending}
            error={todos.error}
            empty={todoItems.length === 0}
            emptyText="Nothing to do. Your firm has no open requests."
            label="your to-do list"
          >
            <Stack>
              {todoItems.map((request) => (
                <Paper withBorder p="md" key={request.id}>
                  <Stack gap="xs">
                    <Title order={3} size="h4">
                      {request.title}
                    </Title>
                    {request.description && <Text size="sm">{request.description}</Text>}
                    {request.dueDate && <Text size="sm">Due {formatDate(request.dueDate)}</Text>}
                    <FileUpload
                      label={`Upload for ${request.title}`}
                      upload={async (file, onProgress) =>
                        uploadFile(session, '/v1/portal/files', file, { fields: { requestId: request.id }, onProgress })
                      }
                      onDone={() => void reload()}
                    />
                  </Stack>
                </Paper>
              ))}
            </Stack>
          </ListState>
        </Stack>
        <Stack component="section" aria-labelledby="files-heading">
          <Group justify="space-between">
            <Title order={2} id="files-heading">
              Files
            </Title>
          </Group>
          <FileUpload
            label="Add a File"
            upload={async (file, onProgress) => uploadFile(session, '/v1/portal/files', file, { onProgress })}
            onDone={() => void reload()}
          />
          <DataTable
            label="Files"
            what="your files"
            columns={['Name', 'Size', 'Added', 'Download']}
            query={files}
            empty={fileItems.length === 0}
            emptyText="No files yet."
            minWidth={320}
          >
            {fileItems.map((file) => (
              <Table.Tr key={file.id}>
                <Table.Td>{file.name}</Table.Td>
                <Table.Td>{formatBytes(file.size)}</Table.Td>
                <Table.Td>
                  {formatDateTime(file.createdAt)}
                  {file.uploaderKind === 'contact' ? ' (yours)' : ''}
                </Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    variant="default"
                    onClick={() => void downloadFile(session, `/v1/portal/files/${file.id}/download`, file.name)}
                    aria-label={`Download ${file.name}`}
                  >
                    Download
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </DataTable>
        </Stack>
        {me.data && <UserSettings initial={me.data.contact} />}
        {me.data && <ChangePasswordSection />}
        {me.data && <TwoStepPreference me={me.data} />}
        <Stack component="section" aria-labelledby="help-heading" gap="xs">
          <Title order={2} id="help-heading" size="h4">
            Help
          </Title>
          <Text size="sm">
            Questions about a request or a file? Reply to your firm&apos;s email; they will help you.
          </Text>
        </Stack>
      </Stack>
    </Container>
  );
}

function UserSettings({ initial }: { initial: { firstName: string; lastName: string; phone: string | null } }) {
  const queryClient = useQueryClient();
  const { values: form, bind } = useFields({
    firstName: initial.firstName,
    lastName: initial.lastName,
    phone: initial.phone ?? '',
  });
  const save = useMutation({
    mutationFn: async () =>
      data(
        await api.PATCH('/v1/portal/me', {
          body: { firstName: form.firstName, lastName: form.lastName, phone: form.phone.trim() || undefined },
        }),
      ),
    onSuccess: (me) => queryClient.setQueryData(['me'], me),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="settings-heading">
      <form onSubmit={submit} aria-label="User Settings">
        <Stack>
          <Title order={2} id="settings-heading" size="h4">
            User Settings
          </Title>
          <FormError message={formError(save.error, ['firstName', 'lastName', 'phone'])} />
          <Group grow>
            <TextInput label="First name" {...bind('firstName', save.error)} />
            <TextInput label="Last name" {...bind('lastName', save.error)} />
          </Group>
          <TextInput label="Phone" type="tel" {...bind('phone', save.error)} />
          <Group>
            <Button type="submit" variant="default" loading={save.isPending}>
              Save
            </Button>
            {save.isSuccess && (
              <Text size="sm" role="status">
                Saved
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
