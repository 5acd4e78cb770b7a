import { Loader, NativeSelect, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { data } from '../../api/client';
import { api } from '../session';
import { useTemplates } from './queries';

export const DEFAULT_TEMPLATE = 'preset-onboarding-invite';

/** Presets and the firm's own templates, with a live preview of the email as a contact sees it. */
export function TemplatePicker({
  value,
  onChange,
  message,
}: {
  value: string;
  onChange: (templateId: string) => void;
  message: string;
}) {
  const templates = useTemplates();
  const preview = useQuery({
    queryKey: ['email-templates', value, 'preview'],
    queryFn: async () =>
      data(await api.POST('/v1/email-templates/{templateId}/preview', { params: { path: { templateId: value } } })),
    enabled: Boolean(value),
    staleTime: 60_000,
  });
  const html = preview.data ? withMessage(preview.data.html, message) : '';
  return (
    <Stack gap="xs">
      <NativeSelect
        label="Email template"
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        data={(templates.data ?? [{ id: DEFAULT_TEMPLATE, name: 'Onboarding invite', preset: true }]).map((t) => ({
          value: t.id,
          label: t.preset ? `${t.name} (preset)` : t.name,
        }))}
      />
      <Text size="sm" fw={500} id="email-preview-label">
        Preview{preview.data ? `: ${preview.data.subject}` : ''}
      </Text>
      {preview.isPending ? (
        <Loader size="sm" aria-label="Loading the preview" />
      ) : (
        <iframe
          title="Email preview"
          aria-labelledby="email-preview-label"
          sandbox=""
          srcDoc={html}
          style={{ width: '100%', height: 260, border: '1px solid #ced4da', borderRadius: 6, background: '#fff' }}
        />
      )}
    </Stack>
  );
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

// The preview's sample values come from the notifications service; its sample message is
// swapped for the one being typed, so the preview reads as the contact will read it.
const SAMPLE_MESSAGE = 'Looking forward to working with you this season.';

function withMessage(html: string, message: string): string {
  return html.split(SAMPLE_MESSAGE).join(escapeHtml(message.trim()));
}
