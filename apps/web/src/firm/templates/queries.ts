import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { data, type Schemas } from '../../api/client';
import { api } from '../session';

export type Template = Schemas['TemplateModel'];

/** Under one root, so a branding change refreshes every preview at once. */
export const templateKeys = {
  all: ['email-templates'] as const,
  one: (templateId: string) => ['email-templates', templateId] as const,
  preview: (templateId: string) => ['email-templates', templateId, 'preview'] as const,
  draft: (subject: string, body: string) => ['email-templates', 'draft', subject, body] as const,
};

export function useTemplates() {
  return useQuery({
    queryKey: templateKeys.all,
    queryFn: async () => data(await api.GET('/v1/email-templates')).items,
    staleTime: 60_000,
  });
}

export function useTemplatePreview(templateId: string) {
  return useQuery({
    queryKey: templateKeys.preview(templateId),
    queryFn: async () =>
      data(await api.POST('/v1/email-templates/{templateId}/preview', { params: { path: { templateId } } })),
    enabled: Boolean(templateId) && templateId !== 'new',
    staleTime: 60_000,
  });
}

/** The editor's live preview: the text as typed (after a short pause), rendered by the API, not stored. */
export function useDraftPreview(subject: string, body: string) {
  const [draftSubject] = useDebouncedValue(subject, 300);
  const [draftBody] = useDebouncedValue(body, 300);
  return useQuery({
    queryKey: templateKeys.draft(draftSubject, draftBody),
    queryFn: async () =>
      data(await api.POST('/v1/email-templates/preview', { body: { subject: draftSubject, body: draftBody } })),
    enabled: draftSubject.trim().length > 0 && draftBody.trim().length > 0,
    placeholderData: keepPreviousData,
    retry: false,
  });
}
