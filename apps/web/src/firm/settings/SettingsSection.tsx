import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { formError } from '../../api/client';
import { FormError, ListState } from '../../ui/States';

/**
 * One settings form: its title, its fields (locked for the staff role, whom the API would refuse
 * with 403), Save, and the outcome in words.
 */
export function SettingsSection({
  title,
  description,
  query,
  save,
  fields,
  canChange,
  submitLabel = 'Save',
  doneText = 'Saved',
  children,
}: {
  title: string;
  description?: string;
  /** The current values; the form shows once they are here. */
  query?: { isPending: boolean; error: unknown };
  save: { mutate: () => void; isPending: boolean; isSuccess: boolean; error: unknown };
  /** Fields whose errors show next to their input rather than above the form. */
  fields: string[];
  canChange: boolean;
  submitLabel?: string;
  doneText?: string;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  const id = `settings-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <Paper withBorder p="lg" component="section" aria-labelledby={id}>
      <Stack>
        <Title order={2} size="h3" id={id}>
          {title}
        </Title>
        {description && <Text size="sm">{description}</Text>}
        <ListState
          loading={query?.isPending ?? false}
          error={query?.error}
          empty={false}
          emptyText=""
          label={title.toLowerCase()}
        >
          <form onSubmit={submit} aria-label={title}>
            <fieldset disabled={!canChange} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
              <Stack>
                <FormError message={formError(save.error, fields)} />
                {children}
                <Group>
                  <Button type="submit" loading={save.isPending}>
                    {submitLabel}
                  </Button>
                  <Text size="sm" role="status">
                    {save.isSuccess ? doneText : ''}
                  </Text>
                </Group>
              </Stack>
            </fieldset>
          </form>
        </ListState>
      </Stack>
    </Paper>
  );
}
