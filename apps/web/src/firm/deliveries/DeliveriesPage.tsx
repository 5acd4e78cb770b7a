import { Button, Group, NativeSelect, Stack, Table, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { data, type Schemas } from '../../api/client';
import { DataTable } from '../../ui/DataTable';
import { formatDateTime } from '../../ui/format';
import { FormError } from '../../ui/States';
import { clientKeys, fetchClients } from '../clients/queries';
import { fullName, useContacts } from '../contacts/queries';
import { api } from '../session';

type Delivery = Schemas['DeliveryModel'];
type Status = Delivery['status'];

const KINDS: Record<Delivery['kind'], string> = {
  invite: 'Invite',
  reminder: 'Reminder',
  'accepted-notice': 'Accepted notice',
  'upload-notice': 'Upload notice',
  'password-reset': 'Password reset',
  'new-link-notice': 'New link asked',
  'two-step-code': 'Sign-in code',
};

const STATUS_OPTIONS = [
  { value: '', label: 'All' },
  { value: 'queued', label: 'Queued' },
  { value: 'sent', label: 'Sent' },
  { value: 'failed', label: 'Failed' },
];

const PAGE = 50;

/** Every email the firm's portal sent or tried to send: to whom, when, and how it went. */
export default function DeliveriesPage() {
  const [status, setStatus] = useState('');
  const [clientId, setClientId] = useState('');
  const [contactId, setContactId] = useState('');
  const deliveries = useInfiniteQuery({
    queryKey: ['deliveries', { status, contactId }],
    queryFn: async ({ pageParam }) =>
      data(
        await api.GET('/v1/notifications', {
          params: {
            query: {
              limit: PAGE,
              cursor: pageParam,
              status: (status || undefined) as Status | undefined,
              contactId: contactId || undefined,
            },
          },
        }),
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = deliveries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack>
      <Title order={1}>Delivery log</Title>
      <Group align="flex-end" wrap="wrap">
        <NativeSelect
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
          data={STATUS_OPTIONS}
        />
        <ContactFilter
          clientId={clientId}
          contactId={contactId}
          onChange={(client, contact) => {
            setClientId(client);
            setContactId(contact);
          }}
        />
      </Group>
      <DataTable
        label="Delivery log"
        what="the delivery log"
        columns={['Time', 'To', 'Email', 'Status', 'Attempts']}
        query={deliveries}
        empty={items.length === 0}
        emptyText={status || contactId ? 'No email matches these filters.' : 'No emails sent yet.'}
        minWidth={640}
      >
        {items.map((d) => (
          <Table.Tr key={d.id}>
            <Table.Td>{formatDateTime(d.sentAt ?? d.createdAt)}</Table.Td>
            <Table.Td>{d.to}</Table.Td>
            <Table.Td>{KINDS[d.kind]}</Table.Td>
            <Table.Td>
              <DeliveryStatus delivery={d} />
            </Table.Td>
            <Table.Td>{d.attempts}</Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <FormError message={deliveries.isFetchNextPageError ? 'Could not load more; try again.' : undefined} />
      {deliveries.hasNextPage && (
        <Group justify="center">
          <Button
            variant="default"
            loading={deliveries.isFetchingNextPage}
            onClick={() => void deliveries.fetchNextPage()}
          >
            Load more
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function DeliveryStatus({ delivery }: { delivery: Delivery }) {
  if (delivery.status !== 'failed') {
    return (
      <Text size="sm" fw={700}>
        {delivery.status === 'sent' ? 'Sent' : 'Queued'}
      </Text>
    );
  }
  return (
    <Stack gap={2}>
      <Text size="sm" fw={700} c="red.9">
        Failed
      </Text>
      {delivery.lastError && <Text size="xs">{delivery.lastError}</Text>}
    </Stack>
  );
}

/** Contacts belong to clients: choose the client, then one of its contacts. */
function ContactFilter({
  clientId,
  contactId,
  onChange,
}: {
  clientId: string;
  contactId: string;
  onChange: (clientId: string, contactId: string) => void;
}) {
  const clients = useQuery({ queryKey: clientKeys.list(''), queryFn: async () => fetchClients('') });
  const contacts = useContacts(clientId, () => false);
  return (
    <>
      <NativeSelect
        label="Client"
        value={clientId}
        onChange={(e) => onChange(e.currentTarget.value, '')}
        data={[
          { value: '', label: 'All clients' },
          ...(clients.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
        ]}
      />
      <NativeSelect
        label="Contact"
        value={contactId}
        disabled={!clientId}
        onChange={(e) => onChange(clientId, e.currentTarget.value)}
        data={[
          { value: '', label: 'All contacts' },
          ...(clientId ? (contacts.data?.items ?? []) : []).map((c) => ({ value: c.id, label: fullName(c) })),
        ]}
      />
    </>
  );
}
