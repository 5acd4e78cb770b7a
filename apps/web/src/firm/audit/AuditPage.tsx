import { Alert, Button, Code, Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../../api/client';
import { downloadFile } from '../../api/upload';
import { formatDateTime } from '../../ui/format';
import { FormError, ListState } from '../../ui/States';
import { session } from '../session';
import {
  ACTION_LABELS,
  auditKeys,
  exportUrl,
  fetchAuditPage,
  type AuditAction,
  type AuditFilters,
  type AuditRecord,
} from './queries';

const ACTIONS = (Object.keys(ACTION_LABELS) as AuditAction[]).map((value) => ({ value, label: ACTION_LABELS[value] }));

function who(record: AuditRecord): string {
  const { actor } = record;
  if (actor.kind === 'system') return 'The system';
  if (actor.kind === 'anonymous') return 'Someone not signed in';
  const kind = actor.kind === 'staff' ? 'Staff' : 'Contact';
  return `${kind}: ${actor.name ?? actor.email ?? actor.id ?? 'unknown'}`;
}

function what(record: AuditRecord): string {
  const o = record.objects;
  const parts = [
    o.clientId && `client ${o.clientId}`,
    o.contactIds?.length && `contact ${o.contactIds.join(', ')}`,
    o.fileId && `file ${o.fileId}`,
    o.inviteId && `invite ${o.inviteId}`,
    o.requestId && `request ${o.requestId}`,
    o.templateId && `template ${o.templateId}`,
    o.userId && `user ${o.userId}`,
  ].filter(Boolean);
  const name = typeof record.details.name === 'string' ? `“${record.details.name}” ` : '';
  return `${name}${parts.join('; ')}`;
}

/** The firm's audit trail (owners and admins): filters, older pages on demand, CSV export. */
export default function AuditPage() {
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  const [exportError, setExportError] = useState<unknown>(null);
  const trail = useInfiniteQuery({
    queryKey: auditKeys.list(filters),
    queryFn: async ({ pageParam }) => fetchAuditPage(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = trail.data?.pages.flatMap((p) => p.items) ?? [];
  const set = (field: keyof AuditFilters) => (value: string | null) =>
    setDraft((d) => ({ ...d, [field]: value ?? '' }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };
  const exportCsv = async () => {
    setExportError(null);
    try {
      await downloadFile(session, exportUrl(filters), `audit-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (error) {
      setExportError(error);
    }
  };
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Audit trail</Title>
        <Button variant="default" onClick={() => void exportCsv()}>
          Export CSV
        </Button>
      </Group>
      <FormError message={formError(exportError)} />
      <form onSubmit={apply} aria-label="Filter the audit trail">
        <Stack gap="sm">
          <FormError
            message={formError(trail.error, ['action', 'actor', 'contactId', 'clientId', 'fileId', 'from', 'to'])}
          />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 4 }}>
            <Select
              label="Action"
              placeholder="Any action"
              clearable
              data={ACTIONS}
              value={draft.action ?? null}
              onChange={(value) => setDraft((d) => ({ ...d, action: value ?? undefined }))}
            />
            <TextInput
              label="Actor id"
              value={draft.actor ?? ''}
              onChange={(e) => set('actor')(e.currentTarget.value)}
              error={fieldError(trail.error, 'actor')}
            />
            <TextInput
              label="Contact id"
              value={draft.contactId ?? ''}
              onChange={(e) => set('contactId')(e.currentTarget.value)}
              error={fieldError(trail.error, 'contactId')}
            />
            <TextInput
              label="Client id"
              value={draft.clientId ?? ''}
              onChange={(e) => set('clientId')(e.currentTarget.value)}
              error={fieldError(trail.error, 'clientId')}
            />
            <TextInput
              label="File id"
              value={draft.fileId ?? ''}
              onChange={(e) => set('fileId')(e.currentTarget.value)}
              error={fieldError(trail.error, 'fileId')}
            />
            <TextInput
              label="From"
              type="date"
              value={draft.from ?? ''}
              onChange={(e) => set('from')(e.currentTarget.value)}
            />
            <TextInput
              label="To"
              type="date"
              value={draft.to ?? ''}
              onChange={(e) => set('to')(e.currentTarget.value)}
            />
          </SimpleGrid>
          <Group>
            <Button type="submit">Apply filters</Button>
            <Button
              variant="default"
              onClick={() => {
                setDraft({});
                setFilters({});
              }}
            >
              Clear filters
            </Button>
          </Group>
        </Stack>
      </form>
      <ListState
        loading={trail.isPending}
        error={trail.isError && items.length === 0 ? trail.error : null}
        empty={items.length === 0}
        emptyText="Nothing recorded matches."
        label="the audit trail"
      >
        <Table.ScrollContainer minWidth={720}>
          <Table striped aria-label="Audit trail">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>About</Table.Th>
                <Table.Th>From</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((record) => (
                <Table.Tr key={record.id}>
                  <Table.Td>
                    <time dateTime={record.at}>{formatDateTime(record.at)}</time>
                  </Table.Td>
                  <Table.Td>{ACTION_LABELS[record.action] ?? record.action}</Table.Td>
                  <Table.Td>{who(record)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{what(record)}</Text>
                  </Table.Td>
                  <Table.Td>
                    {record.ip ? <Code>{record.ip}</Code> : '–'}
                    {record.userAgent ? (
                      <Text size="xs" c="gray.7">
                        {record.userAgent}
                      </Text>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {trail.hasNextPage ? (
          <Group justify="center">
            <Button variant="default" loading={trail.isFetchingNextPage} onClick={() => void trail.fetchNextPage()}>
              Show older
            </Button>
          </Group>
        ) : null}
        {trail.isError && items.length > 0 ? <Alert color="red">{formError(trail.error)}</Alert> : null}
      </ListState>
    </Stack>
  );
}
