import { Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, data, fieldError, formError } from '../../api/client';
import { formatDateTime } from '../../ui/format';
import { DataTable } from '../../ui/DataTable';
import { FormError } from '../../ui/States';
import { clientKeys } from '../clients/queries';
import { fullName, useContacts, useContactsWatch } from '../contacts/queries';
import { api } from '../session';

export function RequestsTab({ clientId }: { clientId: string }) {
  const queryClient = useQueryClient();
  const requests = useQuery({
    queryKey: clientKeys.requests(clientId),
    queryFn: async () =>
      data(await api.GET('/v1/clients/{clientId}/requests', { params: { path: { clientId }, query: { limit: 200 } } })),
    // A contact's upload fulfils a request at any moment.
    refetchInterval: 5000,
  });
  const files = useQuery({
    queryKey: clientKeys.files(clientId),
    queryFn: async () =>
      data(await api.GET('/v1/clients/{clientId}/files', { params: { path: { clientId }, query: { limit: 200 } } })),
    refetchInterval: 5000,
  });
  const { interval } = useContactsWatch();
  const contacts = useContacts(clientId, interval);
  const [title, setTitle] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/clients/{clientId}/requests', {
          params: { path: { clientId } },
          body: { title, contactIds: chosen },
        }),
      ),
    onSuccess: async () => {
      setTitle('');
      setChosen([]);
      await queryClient.invalidateQueries({ queryKey: clientKeys.requests(clientId) });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const names = new Map((contacts.data?.items ?? []).map((c) => [c.id, fullName(c)]));
  const fileNames = new Map((files.data?.items ?? []).map((f) => [f.id, f.name]));
  const items = requests.data?.items ?? [];
  const notInvited =
    create.error instanceof ApiError && create.error.code === 'CONTACT_NOT_INVITED'
      ? `${(create.error.problem.contactIds ?? []).map((id) => names.get(id) ?? 'A contact').join(', ')} can't see portal items until they're invited.`
      : undefined;
  return (
    <Stack component="section" aria-labelledby="requests-heading">
      <Title order={2} id="requests-heading">
        Requests
      </Title>
      <form onSubmit={submit} aria-label="New document request">
        <Stack>
          <FormError message={notInvited ?? formError(create.error, ['title', 'contactIds'])} />
          <TextInput
            label="Document to request"
            placeholder="2025 W-2 forms"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={fieldError(create.error, 'title')}
          />
          <Checkbox.Group
            label="Ask"
            value={chosen}
            onChange={setChosen}
            error={fieldError(create.error, 'contactIds')}
          >
            <Stack gap="xs" mt="xs">
              {(contacts.data?.items ?? []).map((c) => (
                <Checkbox key={c.id} value={c.id} label={fullName(c)} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Group>
            <Button type="submit" loading={create.isPending} disabled={chosen.length === 0}>
              Request document
            </Button>
          </Group>
        </Stack>
      </form>
      <DataTable
        label="Document requests"
        what="requests"
        columns={['Request', 'Asked', 'Status']}
        query={requests}
        empty={items.length === 0}
        emptyText="No requests yet."
      >
        {items.map((r) => (
          <Table.Tr key={r.id}>
            <Table.Td>
              {r.title}
              <Text size="xs" c="dimmed">
                {formatDateTime(r.createdAt)}
              </Text>
            </Table.Td>
            <Table.Td>{r.contactIds.map((id) => names.get(id) ?? 'a contact').join(', ')}</Table.Td>
            <Table.Td>
              {r.status === 'done' ? (
                <Stack gap={2}>
                  <Text size="sm" fw={700}>
                    Done
                  </Text>
                  <Text size="xs">
                    {r.fileIds.map((id) => fileNames.get(id) ?? 'a file').join(', ')}
                    {r.fulfilledBy ? ` from ${names.get(r.fulfilledBy) ?? 'a contact'}` : ''}
                  </Text>
                </Stack>
              ) : (
                <Text size="sm" fw={700}>
                  Open
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
    </Stack>
  );
}
