import { ActionIcon, Button, Group, Menu, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { data, formError } from '../../api/client';
import { formatDate } from '../../ui/format';
import { FormError, ListState } from '../../ui/States';
import { api } from '../session';
import { AddContactDialog } from './AddContactDialog';
import { BulkInviteDialog } from './BulkInviteDialog';
import { portalStatusWords } from './portal-status';
import {
  fullName,
  useContacts,
  useContactsWatch,
  usePendingInvites,
  useRefreshContacts,
  type Contact,
  type Invite,
} from './queries';
import { SendInviteDialog } from './SendInviteDialog';

export function ContactsSection({ clientId }: { clientId: string }) {
  const { interval, watch } = useContactsWatch();
  const contacts = useContacts(clientId, interval);
  const invites = usePendingInvites(clientId, interval);
  const refresh = useRefreshContacts(clientId);
  const [adding, addDialog] = useDisclosure(false);
  const [bulk, bulkDialog] = useDisclosure(false);
  const [inviting, setInviting] = useState<Contact | null>(null);
  const changed = () => {
    watch();
    void refresh();
  };
  const items = contacts.data?.items ?? [];
  return (
    <Stack component="section" aria-labelledby="contacts-heading">
      <Group justify="space-between">
        <Title order={2} id="contacts-heading">
          Contacts
        </Title>
        <Group gap="xs">
          <Button onClick={addDialog.open}>Add contact</Button>
          <Menu position="bottom-end">
            <Menu.Target>
              <ActionIcon variant="default" size="lg" aria-label="More contact actions">
                <span aria-hidden>⋯</span>
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item onClick={bulkDialog.open}>Invite contacts to the portal</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>
      <ListState
        loading={contacts.isPending}
        error={contacts.error}
        empty={items.length === 0}
        emptyText='No contacts yet. Add the people at this client with "Add contact".'
        label="contacts"
      >
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="Contacts" verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Portal</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((contact) => (
                <ContactRow
                  key={contact.id}
                  contact={contact}
                  invite={invites.data?.get(contact.id)}
                  onInvite={() => setInviting(contact)}
                  onChanged={changed}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListState>
      <AddContactDialog clientId={clientId} opened={adding} onClose={addDialog.close} />
      <SendInviteDialog contact={inviting} onClose={() => setInviting(null)} onSent={changed} />
      <BulkInviteDialog
        clientId={clientId}
        contacts={items}
        opened={bulk}
        onClose={bulkDialog.close}
        onSent={changed}
      />
    </Stack>
  );
}

function ContactRow({
  contact,
  invite,
  onInvite,
  onChanged,
}: {
  contact: Contact;
  invite: Invite | undefined;
  onInvite: () => void;
  onChanged: () => void;
}) {
  // The invites service answers at once; the contact's portal state follows from events a moment
  // later. A pending invite the list already shows is "invited" now, whatever the lag.
  const lagging = invite && ['not_invited', 'expired', 'revoked'].includes(contact.portal.state);
  const shown: Contact = lagging ? { ...contact, portal: { ...contact.portal, state: 'invited' } } : contact;
  const status = portalStatusWords(shown, formatDate);
  const name = fullName(contact);
  const act = useMutation({
    mutationFn: async (action: 'resend' | 'revoke') => {
      if (!invite) return;
      const path = { params: { path: { inviteId: invite.id } } };
      data(
        action === 'resend'
          ? await api.POST('/v1/invites/{inviteId}/resend', path)
          : await api.POST('/v1/invites/{inviteId}/revoke', path),
      );
    },
    onSuccess: onChanged,
  });
  const pending = shown.portal.state === 'invited' && invite;
  return (
    <Table.Tr>
      <Table.Td>{name}</Table.Td>
      <Table.Td>
        {contact.email ?? (
          <Text c="dimmed" size="sm" component="span">
            No email
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">
          {status.text}
          {status.accepted && (
            <span role="img" aria-label="accepted">
              {' '}
              ✅
            </span>
          )}
        </Text>
        {status.emailProblem && (
          <Text size="sm" c="red.9">
            {status.emailProblem}
          </Text>
        )}
        {status.newLinkRequest && (
          <Text size="sm" fw={600}>
            {status.newLinkRequest}
          </Text>
        )}
        <FormError message={formError(act.error)} />
      </Table.Td>
      <Table.Td>
        <Group gap="xs" justify="flex-end" wrap="nowrap">
          {pending ? (
            <>
              <Button
                size="xs"
                variant="default"
                loading={act.isPending && act.variables === 'resend'}
                onClick={() => act.mutate('resend')}
                aria-label={`Resend invite to ${name}`}
              >
                Resend
              </Button>
              <Button
                size="xs"
                variant="default"
                color="red"
                loading={act.isPending && act.variables === 'revoke'}
                onClick={() => act.mutate('revoke')}
                aria-label={`Revoke invite of ${name}`}
              >
                Revoke
              </Button>
            </>
          ) : (
            contact.portal.state !== 'accepted' && (
              <Button size="xs" onClick={onInvite} aria-label={`Send invite to ${name}`}>
                Send invite
              </Button>
            )
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
