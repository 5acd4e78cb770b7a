import {
  Alert,
  Anchor,
  Button,
  Code,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, data, formError } from '../../api/client';
import { EmailPreview } from '../../ui/EmailPreview';
import { useFields } from '../../ui/form';
import { FormError, ListState } from '../../ui/States';
import { api } from '../session';
import { templateKeys, useDraftPreview, type Template } from './queries';

// The variables the notifications service accepts (anything else is refused on save).
const VARIABLES = 'contact.firstName contact.lastName firm.name inviter.name message link expiresAt'.split(' ');

const BLANK = { name: '', subject: '{{firm.name}}: your secure portal is ready', body: '' };

/** /templates/new (optionally a copy of a preset) or /templates/:id: the form beside the preview. */
export default function TemplateEditorPage() {
  const { templateId = 'new' } = useParams();
  const copyOf = (useLocation().state as { copyOf?: string } | null)?.copyOf;
  const sourceId = templateId === 'new' ? copyOf : templateId;
  const source = useQuery({
    queryKey: templateKeys.one(sourceId ?? ''),
    queryFn: async () =>
      data(await api.GET('/v1/email-templates/{templateId}', { params: { path: { templateId: sourceId ?? '' } } })),
    enabled: Boolean(sourceId),
  });
  return (
    <Stack>
      <Anchor component={Link} to="/templates" size="sm">
        ← Email templates
      </Anchor>
      <ListState
        loading={Boolean(sourceId) && source.isPending}
        error={source.error}
        empty={false}
        emptyText=""
        label="the template"
      >
        <Editor
          key={`${templateId}:${source.data?.id ?? ''}`}
          templateId={templateId}
          initial={
            source.data && templateId === 'new' ? { ...source.data, name: `${source.data.name} (copy)` } : source.data
          }
        />
      </ListState>
    </Stack>
  );
}

/**
 * A refused template names where it breaks (line and column); the words go next to the field
 * they are about. Which field: the service says "The subject…" or "The body…".
 */
function templateError(error: unknown): { field: 'subject' | 'body'; message: string } | null {
  if (!(error instanceof ApiError) || error.code !== 'TEMPLATE_INVALID') return null;
  const field = /^The subject/.test(error.message) ? 'subject' : 'body';
  const position = error.problem.position;
  if (!position) return { field, message: error.message };
  const words = error.message.replace(/ at line \d+, column \d+\.?$/, '.');
  return { field, message: `Line ${position.line}, column ${position.column}: ${words}` };
}

function Editor({ templateId, initial }: { templateId: string; initial: Template | undefined }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const creating = templateId === 'new';
  const readOnly = Boolean(initial?.preset) && !creating;
  const { values: form, bind } = useFields({
    name: initial?.name ?? BLANK.name,
    subject: initial?.subject ?? BLANK.subject,
    body: initial?.body ?? BLANK.body,
  });
  const [saved, setSaved] = useState(form);
  const preview = useDraftPreview(form.subject, form.body);
  const save = useMutation({
    mutationFn: async () =>
      creating
        ? data(await api.POST('/v1/email-templates', { body: form }))
        : data(await api.PATCH('/v1/email-templates/{templateId}', { params: { path: { templateId } }, body: form })),
    onSuccess: async (template) => {
      setSaved(form);
      await queryClient.invalidateQueries({ queryKey: templateKeys.all });
      if (creating) void navigate(`/templates/${template.id}`, { replace: true });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const broken = templateError(save.error);
  const field = (key: 'name' | 'subject' | 'body') => {
    const props = bind(key, save.error);
    return broken?.field === key ? { ...props, error: broken.message } : props;
  };
  const changed = form.name !== saved.name || form.subject !== saved.subject || form.body !== saved.body;
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Stack>
        <Title order={1}>{creating ? 'New template' : readOnly ? form.name : `Edit ${saved.name}`}</Title>
        {readOnly && (
          <Alert color="gray" variant="light">
            Presets cannot be changed.{' '}
            <Anchor component={Link} to="/templates/new" state={{ copyOf: templateId }}>
              Copy it
            </Anchor>{' '}
            to make your own.
          </Alert>
        )}
        <Paper withBorder p="lg" component="form" onSubmit={submit} aria-label="Template">
          <Stack>
            <FormError message={broken ? undefined : formError(save.error, ['name', 'subject', 'body'])} />
            <TextInput label="Name" required readOnly={readOnly} {...field('name')} />
            <TextInput label="Subject" required readOnly={readOnly} {...field('subject')} />
            <Textarea
              label="Body"
              required
              readOnly={readOnly}
              autosize
              minRows={8}
              maxRows={24}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              {...field('body')}
              description="A blank line starts a new paragraph. The Create Account button and the expiry date are added below the text."
            />
            <Text size="xs" c="dimmed">
              Variables:{' '}
              {VARIABLES.map((v) => (
                <Code key={v} mr={4}>{`{{${v}}}`}</Code>
              ))}
              and <Code>{'{{#if message}}…{{/if}}'}</Code>
            </Text>
            {!readOnly && (
              <Group>
                <Button type="submit" loading={save.isPending}>
                  {creating ? 'Create template' : 'Save'}
                </Button>
                <Text size="sm" role="status">
                  {changed ? (creating ? '' : 'Unsaved changes.') : save.isSuccess ? 'Saved' : ''}
                </Text>
              </Group>
            )}
          </Stack>
        </Paper>
      </Stack>
      <Stack>
        <Title order={2} size="h3">
          As a contact sees it
        </Title>
        {preview.error instanceof ApiError && preview.error.code === 'TEMPLATE_INVALID' ? (
          <Text c="dimmed">The preview shows the last version that worked; fix the template to update it.</Text>
        ) : (
          <FormError message={formError(preview.error)} />
        )}
        <EmailPreview email={preview.data} loading={preview.isPending && !preview.data} height={420} />
      </Stack>
    </SimpleGrid>
  );
}
