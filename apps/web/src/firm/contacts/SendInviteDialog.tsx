import { Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, data, fieldError, formError } from '../../api/client';
import { FormError } from '../../ui/States';
import { api } from '../session';
import { fullName, type Contact } from './queries';
import { DEFAULT_TEMPLATE, TemplatePicker } from './TemplatePicker';

/**
 * Send invite: confirms who gets it; a contact without an email gets one here (saved first),
 * an optional personal message, a template with its live preview.
 */
export function SendInviteDialog({
  contact,
  onClose,
  onSent,
}: {
  contact: Contact | null;
  onClose: () => void;
  onSent: () => void;
}) {
  return (
    <Modal opened={contact !== null} onClose={onClose} title="Send invite" size="lg">
      {contact && <SendInviteForm contact={contact} onClose={onClose} onSent={onSent} />}
    </Modal>
  );
}

function SendInviteForm({ contact, onClose, onSent }: { contact: Contact; onClose: () => void; onSent: () => void }) {
  const [email, setEmail] = useState('');
  const [message, setMessage] = useState('');
  const [templateId, setTemplateId] = useState(DEFAULT_TEMPLATE);
  const needsEmail = !contact.email;
  const send = useMutation({
    mutationFn: async () => {
      if (needsEmail) {
        const saved = await api.PATCH('/v1/contacts/{contactId}', {
          params: { path: { contactId: contact.id } },
          body: { email: email.trim() },
        });
        data(saved);
      }
      return data(
        await api.POST('/v1/contacts/{contactId}/invites', {
          params: { path: { contactId: contact.id } },
          body: { message: message.trim() || undefined, templateId },
        }),
      );
    },
    onSuccess: () => {
      onSent();
      onClose();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate();
  };
  const emailTaken = send.error instanceof ApiError && send.error.code === 'CONTACT_EMAIL_TAKEN';
  return (
    <form onSubmit={submit} aria-label="Send invite">
      <Stack>
        <FormError message={emailTaken ? undefined : formError(send.error, ['email', 'message', 'templateId'])} />
        <Text>
          To <strong>{fullName(contact)}</strong>
          {contact.email ? ` <${contact.email}>` : ''}
        </Text>
        {needsEmail && (
          <TextInput
            label="Email"
            description={`${contact.firstName} has no email yet; it is saved before the invite is sent.`}
            type="email"
            required
            data-autofocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={emailTaken ? 'Another contact of your firm has this email.' : fieldError(send.error, 'email')}
          />
        )}
        <Textarea
          label="Personal message"
          description="Optional; shown in the email"
          autosize
          minRows={2}
          maxRows={6}
          value={message}
          onChange={(e) => setMessage(e.currentTarget.value)}
          error={fieldError(send.error, 'message')}
        />
        <TemplatePicker value={templateId} onChange={setTemplateId} message={message} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={send.isPending}>
            Send
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
