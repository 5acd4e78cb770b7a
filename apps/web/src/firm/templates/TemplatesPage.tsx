import { Anchor, Badge, Button, Group, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { done, formError } from '../../api/client';
import { DataTable } from '../../ui/DataTable';
import { formatDateTime } from '../../ui/format';
import { FormError } from '../../ui/States';
import { api } from '../session';
import { templateKeys, useTemplates } from './queries';

/** Presets (read-only, a starting point) and the firm's own onboarding templates. */
export default function TemplatesPage() {
  const queryClient = useQueryClient();
  const templates = useTemplates();
  const remove = useMutation({
    mutationFn: async (templateId: string) =>
      done(await api.DELETE('/v1/email-templates/{templateId}', { params: { path: { templateId } } })),
    onSuccess: async () => queryClient.invalidateQueries({ queryKey: templateKeys.all }),
  });
  const items = templates.data ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Email templates</Title>
        <Button component={Link} to="/templates/new">
          New template
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        The invite email&apos;s text. Presets come with the product; copy one to make it your own.
      </Text>
      <FormError message={formError(remove.error)} />
      <DataTable
        label="Email templates"
        what="templates"
        columns={['Name', 'Subject', 'Changed', <VisuallyHidden key="actions">Actions</VisuallyHidden>]}
        query={templates}
        empty={items.length === 0}
        emptyText="No templates yet."
        minWidth={560}
      >
        {items.map((t) => (
          <Table.Tr key={t.id}>
            <Table.Td>
              <Anchor component={Link} to={`/templates/${t.id}`}>
                {t.name}
              </Anchor>{' '}
              {t.preset && (
                <Badge variant="light" color="gray" c="dark">
                  Preset
                </Badge>
              )}
            </Table.Td>
            <Table.Td>{t.subject}</Table.Td>
            <Table.Td>{t.preset ? '—' : formatDateTime(t.updatedAt)}</Table.Td>
            <Table.Td>
              <Group gap="xs" justify="flex-end" wrap="nowrap">
                {t.preset ? (
                  <Button
                    size="xs"
                    variant="default"
                    component={Link}
                    to="/templates/new"
                    state={{ copyOf: t.id }}
                    aria-label={`Copy ${t.name}`}
                  >
                    Copy
                  </Button>
                ) : (
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    loading={remove.isPending && remove.variables === t.id}
                    onClick={() => {
                      if (window.confirm(`Delete the template "${t.name}"?`)) remove.mutate(t.id);
                    }}
                    aria-label={`Delete ${t.name}`}
                  >
                    Delete
                  </Button>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
        ))}
      </DataTable>
    </Stack>
  );
}
