import { Button, Checkbox, Group, Modal, Stack, Table, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { data, formError, type Schemas } from '../../api/client';
import { FormError } from '../../ui/States';
import { api } from '../session';
import { fullName, type Contact } from './queries';
import { DEFAULT_TEMPLATE, TemplatePicker } from './TemplatePicker';

type Result = Schemas['BulkInviteResultModel'];

const SKIP_WORDS: Record<string, string> = {
  CONTACT_EMAIL_REQUIRED: 'no email address yet',
  INVITE_ALREADY_ACCEPTED: 'already has a portal account',
  NOT_FOUND: 'not a contact of this client',
  SERVICE_UNAVAILABLE: 'could not be reached; send again',
};

export const resultWords = (r: Result) =>
  r.status === 'sent' ? 'Sent' : `Skipped: ${SKIP_WORDS[r.code ?? ''] ?? r.detail ?? r.code ?? 'unknown reason'}`;

/** "Invite contacts to the portal": choose, write, send, then one result per contact. */
export function BulkInviteDialog({
  clientId,
  contacts,
  opened,
  onClose,
  onSent,
}: {
  clientId: string;
  contacts: Contact[];
  opened: boolean;
  onClose: () => void;
  onSent: () => void;
}) {
  const candidates = contacts.filter((c) => c.portal.state !== 'accepted');
  const [chosen, setChosen] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [templateId, setTemplateId] = useState(DEFAULT_TEMPLATE);
  const send = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/clients/{clientId}/invites', {
          params: { path: { clientId } },
          body: { contactIds: chosen, message: message.trim() || undefined, templateId },
        }),
      ).results,
    onSuccess: onSent,
  });
  const close = () => {
    send.reset();
    setChosen([]);
    setMessage('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const byId = new Map(contacts.map((c) => [c.id, c]));
  return (
    <Modal opened={opened} onClose={close} title="Invite contacts to the portal" size="lg">
      {send.data ? (
        <Stack>
          <Table aria-label="Invite results">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Contact</Table.Th>
                <Table.Th>Result</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {send.data.map((r) => (
                <Table.Tr key={r.contactId}>
                  <Table.Td>
                    {byId.has(r.contactId) ? fullName(byId.get(r.contactId) as Contact) : r.contactId}
                  </Table.Td>
                  <Table.Td>{resultWords(r)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} aria-label="Invite contacts to the portal">
          <Stack>
            <FormError message={formError(send.error)} />
            {candidates.length === 0 ? (
              <Text c="dimmed">Every contact of this client already has a portal account.</Text>
            ) : (
              <Checkbox.Group label="Contacts to invite" value={chosen} onChange={setChosen}>
                <Stack gap="xs" mt="xs">
                  {candidates.map((c) => (
                    <Checkbox
                      key={c.id}
                      value={c.id}
                      label={`${fullName(c)}${c.email ? ` <${c.email}>` : ' (no email)'}`}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
            )}
            <Textarea
              label="Personal message"
              description="Optional"
              autosize
              minRows={2}
              value={message}
              onChange={(e) => setMessage(e.currentTarget.value)}
            />
            <TemplatePicker value={templateId} onChange={setTemplateId} message={message} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={chosen.length === 0} loading={send.isPending}>
                Send {chosen.length > 0 ? `${chosen.length} ` : ''}invite{chosen.length === 1 ? '' : 's'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
