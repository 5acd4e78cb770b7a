import { Loader, Stack, Text } from '@mantine/core';
import { useId } from 'react';

/** A rendered email as a contact sees it: subject above, HTML in a sandboxed frame (no scripts, no links out). */
export function EmailPreview({
  email,
  loading,
  height = 260,
}: {
  email: { subject: string; html: string } | undefined;
  loading: boolean;
  height?: number;
}) {
  const labelId = useId();
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500} id={labelId}>
        Preview{email ? `: ${email.subject}` : ''}
      </Text>
      {loading ? (
        <Loader size="sm" aria-label="Loading the preview" />
      ) : (
        <iframe
          title="Email preview"
          aria-labelledby={labelId}
          sandbox=""
          srcDoc={email?.html ?? ''}
          style={{ width: '100%', height, border: '1px solid #ced4da', borderRadius: 6, background: '#fff' }}
        />
      )}
    </Stack>
  );
}
