import { NativeSelect, Stack } from '@mantine/core';
import { EmailPreview } from '../../ui/EmailPreview';
import { useTemplatePreview, useTemplates } from '../templates/queries';

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
  const preview = useTemplatePreview(value);
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
      <EmailPreview
        email={preview.data ? { subject: preview.data.subject, html } : undefined}
        loading={preview.isPending}
      />
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
