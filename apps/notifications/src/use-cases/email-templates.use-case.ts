import { Injectable } from '@nestjs/common';
import {
  CreateTemplateDto,
  DomainError,
  ErrorCode,
  RenderedEmail,
  TemplateView,
  UpdateTemplateDto,
} from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { TemplateRepository } from '../repositories/template.repository';
import { EmailTemplate } from '../repositories/template.schema';
import { EmailModel, renderEmail, TemplateSource, validateTemplate } from '../templates/email-template';
import { PRESET_TEMPLATES, PresetTemplate } from '../templates/presets';

const EPOCH = new Date(0).toISOString();
const notFound = () => new DomainError(ErrorCode.NotFound, 'No such template.');

const presetView = (p: PresetTemplate): TemplateView => ({ ...p, preset: true, createdAt: EPOCH, updatedAt: EPOCH });
const ownView = (t: EmailTemplate): TemplateView => ({
  id: t._id,
  name: t.name,
  subject: t.subject,
  body: t.body,
  preset: false,
  createdAt: new Date(t.createdAt).toISOString(),
  updatedAt: new Date(t.updatedAt).toISOString(),
});

/** What the preview shows: plausible values for every variable. */
export const SAMPLE_MODEL: EmailModel = {
  firm: { name: 'Your Firm' },
  contact: { firstName: 'Jordan', lastName: 'Sample' },
  inviter: { name: 'Alex Staff' },
  message: 'Looking forward to working with you this season.',
  link: 'https://portal.example.com/invite/sample-link',
  expiresAt: new Date(Date.now() + 30 * 86_400_000).toUTCString().slice(0, 16),
};

/** Presets plus each firm's own onboarding templates; checked when saved, not when sent. */
@Injectable()
export class EmailTemplates {
  constructor(private readonly templates: TemplateRepository) {}

  async list(scope: FirmScope): Promise<TemplateView[]> {
    return [...PRESET_TEMPLATES.map(presetView), ...(await this.templates.list(scope)).map(ownView)];
  }

  async get(scope: FirmScope, id: string): Promise<TemplateView> {
    const preset = PRESET_TEMPLATES.find((p) => p.id === id);
    if (preset) return presetView(preset);
    const own = await this.templates.findById(scope, id);
    if (!own) throw notFound();
    return ownView(own);
  }

  /** The template an email uses: the firm's own, a preset, or null if neither exists (deleted). */
  async source(scope: FirmScope, id: string | null): Promise<TemplateSource | null> {
    if (!id) return null;
    return PRESET_TEMPLATES.find((p) => p.id === id) ?? (await this.templates.findById(scope, id));
  }

  async create(scope: FirmScope, input: CreateTemplateDto): Promise<TemplateView> {
    validateTemplate({ subject: input.subject, body: input.body });
    return ownView(await this.templates.insert(scope, input));
  }

  async update(scope: FirmScope, id: string, input: UpdateTemplateDto): Promise<TemplateView> {
    if (PRESET_TEMPLATES.some((p) => p.id === id))
      throw new DomainError(ErrorCode.Forbidden, 'Preset templates cannot be changed.');
    const current = await this.templates.findById(scope, id);
    if (!current) throw notFound();
    validateTemplate({ subject: input.subject ?? current.subject, body: input.body ?? current.body });
    const updated = await this.templates.update(scope, id, input);
    if (!updated) throw notFound();
    return ownView(updated);
  }

  async remove(scope: FirmScope, id: string): Promise<void> {
    if (PRESET_TEMPLATES.some((p) => p.id === id))
      throw new DomainError(ErrorCode.Forbidden, 'Preset templates cannot be deleted.');
    if (!(await this.templates.remove(scope, id))) throw notFound();
  }

  async preview(scope: FirmScope, id: string, firm: PreviewFirm): Promise<RenderedEmail> {
    return previewOf(await this.get(scope, id), firm);
  }

  /** A draft, checked like a save (422 with line and column) and rendered; nothing is stored. */
  previewDraft(draft: TemplateSource, firm: PreviewFirm): RenderedEmail {
    validateTemplate(draft);
    return previewOf(draft, firm);
  }
}

type PreviewFirm = { name?: string; logoUrl: string | null; brandColor: string | null };

function previewOf(template: TemplateSource, firm: PreviewFirm): RenderedEmail {
  return renderEmail(template, { ...SAMPLE_MODEL, firm: { ...firm, name: firm.name ?? SAMPLE_MODEL.firm.name } });
}
