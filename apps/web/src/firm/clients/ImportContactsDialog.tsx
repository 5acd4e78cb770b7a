import { Button, Checkbox, Group, Input, Modal, Progress, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { data, formError, type Schemas } from '../../api/client';
import { uploadFile } from '../../api/upload';
import { FormError } from '../../ui/States';
import { api, session } from '../session';
import { importKeys } from './queries';

type ContactImport = Schemas['ImportModel'];
type ImportRow = Schemas['ImportRowModel'];

const ROWS_PER_PAGE = 100;

const SKIP_WORDS: Record<string, string> = {
  MISSING_NAME: 'a first and a last name are both needed',
  BAD_EMAIL: 'the email address is not valid',
  DUPLICATE_EMAIL: 'an earlier row has this email for this client',
  DUPLICATE_ROW: 'an earlier row has this person for this client',
  BAD_KIND: 'the kind is not "individual" or "business"',
  BAD_PHONE: 'the phone number is not valid',
  VALUE_TOO_LONG: 'a value is too long',
  CONTACT_EMAIL_TAKEN: 'another contact got this email meanwhile',
};

const STATUS_WORDS: Record<ImportRow['status'], string> = {
  created: 'Created',
  updated: 'Updated',
  unchanged: 'Already there',
  skipped: 'Skipped',
};

const rowWords = (r: ImportRow) =>
  r.status === 'skipped'
    ? `Skipped: ${SKIP_WORDS[r.code ?? ''] ?? r.detail ?? r.code ?? 'unknown reason'}`
    : STATUS_WORDS[r.status];

const inviteWords = (r: ImportRow) => {
  if (!r.invite) return '';
  return r.invite.status === 'sent' ? 'Invited' : `Not invited: ${r.invite.detail ?? r.invite.code ?? ''}`;
};

const summary = (job: ContactImport) => {
  const c = job.counts;
  const parts = [
    `${c.created} created`,
    `${c.updated} updated`,
    `${c.unchanged} already there`,
    `${c.skipped} skipped`,
  ];
  if (job.invite) parts.push(`${c.invitesSent} invited`);
  return parts.join(', ');
};

/** "Import contacts": choose a CSV, upload it with progress, then follow the import row by row. */
export function ImportContactsDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [invite, setInvite] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const start = useMutation({
    mutationFn: async () =>
      uploadFile<ContactImport>(session, '/v1/clients/import', file as File, {
        fields: { invite: String(invite) },
        onProgress: setProgress,
      }),
    onSettled: () => setProgress(null),
  });
  const close = () => {
    start.reset();
    setFile(null);
    setInvite(false);
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (file) start.mutate();
  };
  return (
    <Modal opened={opened} onClose={close} title="Import contacts" size="xl">
      {start.data ? (
        <ImportProgress
          importId={start.data.id}
          onFinished={() => void queryClient.invalidateQueries({ queryKey: ['clients'] })}
          onClose={close}
        />
      ) : (
        <form onSubmit={submit} aria-label="Import contacts">
          <Stack>
            <Text size="sm">
              A CSV file (comma or semicolon) with a header row: Client, First name, Last name (or Name), Email, Phone,
              Kind. Up to 10,000 rows. Importing the same file again creates nothing new.
            </Text>
            <FormError message={formError(start.error, ['file', 'invite'])} />
            <Input.Wrapper label="CSV file" labelElement="label" id="import-file" required>
              <input
                id="import-file"
                type="file"
                accept=".csv,text/csv"
                required
                onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
              />
            </Input.Wrapper>
            <Checkbox
              label="Invite every imported contact that has an email"
              checked={invite}
              onChange={(e) => setInvite(e.currentTarget.checked)}
            />
            {progress !== null && file && (
              <Progress value={Math.round(progress * 100)} aria-label={`Upload progress of ${file.name}`} />
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" disabled={!file} loading={start.isPending}>
                Import
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function ImportProgress({
  importId,
  onFinished,
  onClose,
}: {
  importId: string;
  onFinished: () => void;
  onClose: () => void;
}) {
  const job = useInfiniteQuery({
    queryKey: importKeys.one(importId),
    initialPageParam: '0',
    queryFn: async ({ pageParam }) =>
      data(
        await api.GET('/v1/imports/{importId}', {
          params: { path: { importId }, query: { limit: ROWS_PER_PAGE, cursor: pageParam } },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    refetchInterval: (query) => (query.state.data?.pages[0]?.status === 'running' ? 1000 : false),
  });
  const pages = job.data?.pages ?? [];
  const latest = pages[0];
  const running = !latest || latest.status === 'running';
  const status = latest?.status;
  // Once, when it ends: the clients list then shows what was imported.
  useEffect(() => {
    if (status && status !== 'running') onFinished();
  }, [status]);
  const rows = pages.flatMap((p) => p.rows);
  return (
    <Stack>
      <FormError message={formError(job.error)} />
      {latest && (
        <Stack gap={4}>
          <Text role="status">
            {running
              ? `Importing ${latest.fileName}: ${latest.processed} of ${latest.total} rows`
              : latest.status === 'done'
                ? `Import finished: ${summary(latest)}`
                : `Import failed: ${latest.error?.detail ?? 'unknown reason'}`}
          </Text>
          <Progress
            value={latest.total ? Math.round((latest.processed / latest.total) * 100) : 0}
            aria-label="Import progress"
          />
        </Stack>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={640} mah={420}>
          <Table aria-label="Import results" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Row</Table.Th>
                <Table.Th>Client</Table.Th>
                <Table.Th>Contact</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Result</Table.Th>
                <Table.Th>Invite</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.row}>
                  <Table.Td>{r.row}</Table.Td>
                  <Table.Td>
                    {r.clientId ? <Link to={`/clients/${r.clientId}`}>{r.clientName}</Link> : (r.clientName ?? '')}
                  </Table.Td>
                  <Table.Td>{[r.firstName, r.lastName].filter(Boolean).join(' ')}</Table.Td>
                  <Table.Td>{r.email ?? ''}</Table.Td>
                  <Table.Td>{rowWords(r)}</Table.Td>
                  <Table.Td>{inviteWords(r)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="flex-end">
        {job.hasNextPage && !running && (
          <Button variant="default" onClick={() => void job.fetchNextPage()} loading={job.isFetchingNextPage}>
            Show more rows
          </Button>
        )}
        <Button onClick={onClose}>{running ? 'Close (the import goes on)' : 'Done'}</Button>
      </Group>
    </Stack>
  );
}
