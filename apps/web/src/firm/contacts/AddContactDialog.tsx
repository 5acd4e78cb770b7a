import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent } from 'react';
import { data, formError } from '../../api/client';
import { useFields } from '../../ui/form';
import { FormError } from '../../ui/States';
import { api } from '../session';
import { useRefreshContacts } from './queries';

const FIELDS = ['firstName', 'lastName', 'email', 'phone'];

export function AddContactDialog({
  clientId,
  opened,
  onClose,
}: {
  clientId: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { values: form, bind, reset } = useFields({ firstName: '', lastName: '', email: '', phone: '' });
  const refresh = useRefreshContacts(clientId);
  const add = useMutation({
    mutationFn: async () =>
      data(
        await api.POST('/v1/clients/{clientId}/contacts', {
          params: { path: { clientId } },
          body: {
            firstName: form.firstName,
            lastName: form.lastName,
            email: form.email.trim() || undefined,
            phone: form.phone.trim() || undefined,
          },
        }),
      ),
    onSuccess: async () => {
      await refresh();
      reset();
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Add contact">
      <form onSubmit={submit} aria-label="Add contact">
        <Stack>
          <FormError message={formError(add.error, FIELDS)} />
          <TextInput label="First name" required data-autofocus {...bind('firstName', add.error)} />
          <TextInput label="Last name" required {...bind('lastName', add.error)} />
          <TextInput
            label="Email"
            description="Optional until you invite them"
            type="email"
            {...bind('email', add.error)}
          />
          <TextInput label="Phone" type="tel" {...bind('phone', add.error)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={add.isPending}>
              Add contact
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
