import { Anchor, Breadcrumbs, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ListState } from '../../ui/States';
import { ContactsSection } from '../contacts/ContactsSection';
import { FilesTab } from '../files/FilesTab';
import { RequestsTab } from '../requests/RequestsTab';
import { clientKeys, fetchClient } from './queries';

export default function ClientPage() {
  const { clientId = '' } = useParams();
  const client = useQuery({ queryKey: clientKeys.one(clientId), queryFn: async () => fetchClient(clientId) });
  return (
    <Stack>
      <Breadcrumbs aria-label="Breadcrumb">
        <Anchor component={Link} to="/clients">
          Clients
        </Anchor>
        <Text component="span">{client.data?.name ?? '…'}</Text>
      </Breadcrumbs>
      <ListState loading={client.isPending} error={client.error} empty={false} emptyText="" label="the client">
        <Title order={1}>{client.data?.name}</Title>
        <Tabs defaultValue="contacts" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="contacts">Contacts</Tabs.Tab>
            <Tabs.Tab value="files">Files</Tabs.Tab>
            <Tabs.Tab value="requests">Requests</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="contacts" pt="md">
            <ContactsSection clientId={clientId} />
          </Tabs.Panel>
          <Tabs.Panel value="files" pt="md">
            <FilesTab clientId={clientId} />
          </Tabs.Panel>
          <Tabs.Panel value="requests" pt="md">
            <RequestsTab clientId={clientId} />
          </Tabs.Panel>
        </Tabs>
      </ListState>
    </Stack>
  );
}
