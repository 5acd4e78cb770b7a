import { Injectable } from '@nestjs/common';
import {
  CreateTemplateDto,
  DeliveryView,
  FirmView,
  ListNotificationsQueryDto,
  Page,
  PreviewTemplateDto,
  ReminderSettingsDto,
  ReminderSettingsView,
  RenderedEmail,
  TemplateView,
  UpdateTemplateDto,
} from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { ServiceHttp } from './service-http';

const id = encodeURIComponent;
const templates = (scope: FirmScope) => `/firms/${id(scope.firmId)}/email-templates`;

/** The notifications service's internal API: email templates and the delivery log. */
@Injectable()
export class NotificationsClient {
  constructor(private readonly http: ServiceHttp) {}

  async listTemplates(scope: FirmScope): Promise<Page<TemplateView>> {
    return this.http.json('notifications', 'GET', templates(scope));
  }

  async createTemplate(scope: FirmScope, input: CreateTemplateDto): Promise<TemplateView> {
    return this.http.json('notifications', 'POST', templates(scope), { body: input });
  }

  async getTemplate(scope: FirmScope, templateId: string): Promise<TemplateView> {
    return this.http.json('notifications', 'GET', `${templates(scope)}/${id(templateId)}`);
  }

  async updateTemplate(scope: FirmScope, templateId: string, input: UpdateTemplateDto): Promise<TemplateView> {
    return this.http.json('notifications', 'PATCH', `${templates(scope)}/${id(templateId)}`, { body: input });
  }

  async deleteTemplate(scope: FirmScope, templateId: string): Promise<void> {
    return this.http.empty('notifications', 'DELETE', `${templates(scope)}/${id(templateId)}`);
  }

  /** Rendered with the firm's own name and branding. */
  async previewTemplate(scope: FirmScope, templateId: string, firm: FirmView): Promise<RenderedEmail> {
    return this.http.json('notifications', 'POST', `${templates(scope)}/${id(templateId)}/preview`, {
      query: brandingQuery(firm),
    });
  }

  /** A draft (not stored), checked and rendered like a saved template. */
  async previewDraft(scope: FirmScope, draft: PreviewTemplateDto, firm: FirmView): Promise<RenderedEmail> {
    return this.http.json('notifications', 'POST', `${templates(scope)}/preview`, {
      body: draft,
      query: brandingQuery(firm),
    });
  }

  async reminderSettings(scope: FirmScope): Promise<ReminderSettingsView> {
    return this.http.json('notifications', 'GET', `/firms/${id(scope.firmId)}/settings/reminders`);
  }

  async saveReminderSettings(scope: FirmScope, input: ReminderSettingsDto): Promise<ReminderSettingsView> {
    return this.http.json('notifications', 'PUT', `/firms/${id(scope.firmId)}/settings/reminders`, { body: input });
  }

  async deliveries(scope: FirmScope, query: ListNotificationsQueryDto): Promise<Page<DeliveryView>> {
    const { contactId, inviteId, status, limit, cursor } = query;
    return this.http.json('notifications', 'GET', `/firms/${id(scope.firmId)}/notifications`, {
      query: { contactId, inviteId, status, limit, cursor },
    });
  }
}

function brandingQuery(firm: FirmView) {
  return { firmName: firm.name, logoUrl: firm.logoUrl ?? undefined, brandColor: firm.brandColor ?? undefined };
}
