import { Alert, Button, Checkbox, Group, Modal, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, data, done, formError, type Problem, type Schemas } from '../../api/client';
import { downloadFile, uploadFile } from '../../api/upload';
import { DataTable } from '../../ui/DataTable';
import { FileUpload } from '../../ui/FileUpload';
import { formatBytes, formatDateTime } from '../../ui/format';
import { FormError } from '../../ui/States';
import { clientKeys } from '../clients/queries';
import { fullName, useContacts, useContactsWatch, useRefreshContacts, type Contact } from '../contacts/queries';
import { api, session } from '../session';

type StoredFile = Schemas['FileModel'];

/** Who can see portal items now or once they accept; everyone else must be invited first. */
const canReceive = (c: Contact) => c.portal.state === 'accepted' || c.portal.state === 'invited';

export function FilesTab({ clientId }: { clientId: string }) {
  const queryClient = useQueryClient();
  const files = useQuery({
    queryKey: clientKeys.files(clientId),
    queryFn: async () =>
      data(await api.GET('/v1/clients/{clientId}/files', { params: { path: { clientId }, query: { limit: 200 } } })),
  });
  const { interval } = useContactsWatch();
  const contacts = useContacts(clientId, interval);
  const [sharing, setSharing] = useState<StoredFile | null>(null);
  const reload = async () => queryClient.invalidateQueries({ queryKey: clientKeys.files(clientId) });
  const remove = useMutation({
    mutationFn: async (fileId: string) =>
      done(await api.DELETE('/v1/files/{fileId}', { params: { path: { fileId } } })),
    onSuccess: reload,
  });
  const names = new Map((contacts.data?.items ?? []).map((c) => [c.id, fullName(c)]));
  const items = files.data?.items ?? [];
  return (
    <Stack component="section" aria-labelledby="files-heading">
      <Title order={2} id="files-heading">
        Files
      </Title>
      <FileUpload
        label="Upload a file"
        upload={async (file, onProgress) => uploadFile(session, `/v1/clients/${clientId}/files`, file, { onProgress })}
        onDone={() => void reload()}
      />
      <FormError message={formError(remove.error)} />
      <DataTable
        label="Files"
        what="files"
        columns={['Name', 'Size', 'Added', 'Shared with', <VisuallyHidden key="actions">Actions</VisuallyHidden>]}
        query={files}
        empty={items.length === 0}
        emptyText="No files yet."
        minWidth={560}
      >
        {items.map((file) => (
          <Table.Tr key={file.id}>
            <Table.Td>{file.name}</Table.Td>
            <Table.Td>{formatBytes(file.size)}</Table.Td>
            <Table.Td>
              {formatDateTime(file.createdAt)}
              {file.uploaderKind === 'contact' ? ` by ${names.get(file.uploadedBy) ?? 'a contact'}` : ''}
            </Table.Td>
            <Table.Td>{file.sharedWith.map((id) => names.get(id) ?? 'a contact').join(', ') || '—'}</Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => void downloadFile(session, `/v1/files/${file.id}/download`, file.name)}
                  aria-label={`Download ${file.name}`}
                >
                  Download
                </Button>
                <Button size="xs" variant="default" onClick={() => setSharing(file)} aria-label={`Share ${file.name}`}>
                  Share
                </Button>
                <Button
                  size="xs"
                  variant="default"
                  color="red"
                  onClick={() => remove.mutate(file.id)}
                  aria-label={`Delete ${file.name}`}
                >
                  Delete
                </Button>
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
      <Modal
        opened={sharing !== null}
        onClose={() => setSharing(null)}
        title={sharing ? `Share ${sharing.name}` : 'Share'}
      >
        {sharing && (
          <ShareForm
            clientId={clientId}
            file={sharing}
            contacts={contacts.data?.items ?? []}
            onDone={() => {
              setSharing(null);
              void reload();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

/**
 * Choose who sees the file. Contacts who are not invited yet cannot see portal items; the form
 * says so and offers to invite them, then shares.
 */
function ShareForm({
  clientId,
  file,
  contacts,
  onDone,
}: {
  clientId: string;
  file: StoredFile;
  contacts: Contact[];
  onDone: () => void;
}) {
  const [chosen, setChosen] = useState<string[]>(file.sharedWith);
  const [prompt, setPrompt] = useState<Contact[] | null>(null);
  const refreshContacts = useRefreshContacts(clientId);
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const save = useMutation({
    mutationFn: async (inviteFirst: Contact[]) => {
      for (const contact of inviteFirst) {
        data(
          await api.POST('/v1/contacts/{contactId}/invites', { params: { path: { contactId: contact.id } }, body: {} }),
        );
      }
      // The contacts service learns of a new invite from its event, a moment after it was sent:
      // until then the share is refused for exactly the contacts just invited, so it is retried.
      const justInvited = new Set(inviteFirst.map((c) => c.id));
      for (let attempt = 1; ; attempt += 1) {
        const answer = await api.PATCH('/v1/files/{fileId}', {
          params: { path: { fileId: file.id } },
          body: { sharedWith: chosen },
        });
        const problem = answer.error as Partial<Problem> | undefined;
        const waitingForInvite =
          problem?.code === 'CONTACT_NOT_INVITED' && (problem.contactIds ?? []).every((id) => justInvited.has(id));
        if (!waitingForInvite || attempt >= 30) return data(answer);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    },
    onSuccess: async () => {
      await refreshContacts();
      onDone();
    },
    onError: (error) => {
      // The service is the judge: a contact whose invite ran out since the list was read.
      if (error instanceof ApiError && error.code === 'CONTACT_NOT_INVITED') {
        setPrompt((error.problem.contactIds ?? []).flatMap((id) => (byId.has(id) ? [byId.get(id) as Contact] : [])));
      }
    },
  });
  const share = () => {
    const notInvited = chosen.flatMap((id) => {
      const contact = byId.get(id);
      return contact && !canReceive(contact) ? [contact] : [];
    });
    if (notInvited.length > 0) setPrompt(notInvited);
    else save.mutate([]);
  };
  const withoutEmail = (prompt ?? []).filter((c) => !c.email);
  return (
    <Stack>
      <Checkbox.Group
        label="Contacts who see this file in the portal"
        value={chosen}
        onChange={(v) => {
          setChosen(v);
          setPrompt(null);
        }}
      >
        <Stack gap="xs" mt="xs">
          {contacts.map((c) => (
            <Checkbox key={c.id} value={c.id} label={fullName(c)} />
          ))}
        </Stack>
      </Checkbox.Group>
      {prompt && prompt.length > 0 ? (
        <Alert color="yellow" role="alert">
          <Stack gap="xs">
            <Text size="sm" fw={600}>
              {prompt.map(fullName).join(', ')} can&apos;t see portal items until they&apos;re invited
            </Text>
            {withoutEmail.length > 0 && (
              <Text size="sm">
                {withoutEmail.map(fullName).join(', ')} {withoutEmail.length === 1 ? 'has' : 'have'} no email yet: send
                the invite from Contacts.
              </Text>
            )}
            <Group>
              <Button
                size="sm"
                disabled={withoutEmail.length > 0}
                loading={save.isPending}
                onClick={() => save.mutate(prompt)}
              >
                Invite and share
              </Button>
            </Group>
          </Stack>
        </Alert>
      ) : (
        <Group justify="flex-end">
          <Button loading={save.isPending} onClick={share}>
            Share
          </Button>
        </Group>
      )}
      <FormError
        message={
          save.error instanceof ApiError && save.error.code === 'CONTACT_NOT_INVITED'
            ? undefined
            : formError(save.error)
        }
      />
    </Stack>
  );
}
