import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { data, fieldError, formError } from '../../api/client';
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
  const empty = { firstName: '', lastName: '', email: '', phone: '' };
  const [form, setForm] = useState(empty);
  const refresh = useRefreshContacts(clientId);
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) =>
    setForm({ ...form, [key]: e.currentTarget.value });
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
      setForm(empty);
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
          <TextInput
            label="First name"
            required
            data-autofocus
            value={form.firstName}
            onChange={set('firstName')}
            error={fieldError(add.error, 'firstName')}
          />
          <TextInput
            label="Last name"
            required
            value={form.lastName}
            onChange={set('lastName')}
            error={fieldError(add.error, 'lastName')}
          />
          <TextInput
            label="Email"
            description="Optional until you invite them"
            type="email"
            value={form.email}
            onChange={set('email')}
            error={fieldError(add.error, 'email')}
          />
          <TextInput
            label="Phone"
            type="tel"
            value={form.phone}
            onChange={set('phone')}
            error={fieldError(add.error, 'phone')}
          />
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
