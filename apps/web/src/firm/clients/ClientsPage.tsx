import { Anchor, Button, Group, Modal, SegmentedControl, Stack, Table, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { data, fieldError, formError } from '../../api/client';
import { formatDate } from '../../ui/format';
import { DataTable } from '../../ui/DataTable';
import { FormError } from '../../ui/States';
import { api } from '../session';
import { ImportContactsDialog } from './ImportContactsDialog';
import { clientKeys, fetchClients } from './queries';

export default function ClientsPage() {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 250);
  const clients = useQuery({ queryKey: clientKeys.list(debounced), queryFn: async () => fetchClients(debounced) });
  const [creating, { open, close }] = useDisclosure(false);
  const [importing, importDialog] = useDisclosure(false);
  const items = clients.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Clients</Title>
        <Group>
          <Button variant="default" onClick={importDialog.open}>
            Import contacts
          </Button>
          <Button onClick={open}>New client</Button>
        </Group>
      </Group>
      <TextInput
        label="Search clients"
        placeholder="Name"
        type="search"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
      />
      <DataTable
        label="Clients"
        what="clients"
        columns={['Name', 'Kind', 'Added']}
        query={clients}
        empty={items.length === 0}
        emptyText={debounced ? 'No client matches.' : 'No clients yet. Add your first with "New client".'}
        minWidth={320}
      >
        {items.map((client) => (
          <Table.Tr key={client.id}>
            <Table.Td>
              <Anchor component={Link} to={`/clients/${client.id}`}>
                {client.name}
              </Anchor>
            </Table.Td>
            <Table.Td>{client.kind === 'business' ? 'Business' : 'Individual'}</Table.Td>
            <Table.Td>{formatDate(client.createdAt)}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <ImportContactsDialog opened={importing} onClose={importDialog.close} />
      <Modal opened={creating} onClose={close} title="New client">
        <NewClientForm onDone={close} />
      </Modal>
    </Stack>
  );
}

function NewClientForm({ onDone }: { onDone: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'individual' | 'business'>('individual');
  const create = useMutation({
    mutationFn: async () => data(await api.POST('/v1/clients', { body: { name, kind } })),
    onSuccess: async (client) => {
      await queryClient.invalidateQueries({ queryKey: ['clients'] });
      onDone();
      void navigate(`/clients/${client.id}`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} aria-label="New client">
      <Stack>
        <FormError message={formError(create.error, ['name', 'kind'])} />
        <TextInput
          label="Client name"
          required
          data-autofocus
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(create.error, 'name')}
        />
        <Stack gap={4}>
          <span id="client-kind-label">Kind</span>
          <SegmentedControl
            aria-labelledby="client-kind-label"
            value={kind}
            onChange={(value) => setKind(value)}
            data={[
              { label: 'Individual', value: 'individual' },
              { label: 'Business', value: 'business' },
            ]}
          />
        </Stack>
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending}>
            Create client
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
