import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CreateTemplateDto,
  DeliveryView,
  ErrorCode,
  ListNotificationsQueryDto,
  Page,
  PreviewTemplateDto,
  ReminderSettingsDto,
  ReminderSettingsView,
  RenderedEmail,
  TemplateView,
  UpdateTemplateDto,
} from '@cp/contracts';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { DeliveryPage, RenderedEmailModel, TemplateModel, TemplatePage } from '../dto/views';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound, ApiProblem } from '../dto/problems';
import { ContactsClient } from '../repositories/contacts.client';
import { NotificationsClient } from '../repositories/notifications.client';
import { ResourceIdPipe } from './resource-id.pipe';

const INVALID_TEMPLATE = 'unknown variable or broken template; `position` gives line and column';

@ApiTags('Email')
@ApiCommonProblems()
@StaffRoute()
@Controller()
export class EmailTemplatesController {
  constructor(
    private readonly notifications: NotificationsClient,
    private readonly contacts: ContactsClient,
  ) {}

  @Get('email-templates')
  @ApiOperation({ summary: "Preset templates and the firm's own" })
  @ApiOkResponse({ type: TemplatePage })
  async list(@CurrentStaff() staff: StaffPrincipal): Promise<Page<TemplateView>> {
    return this.notifications.listTemplates(staff.scope);
  }

  @Post('email-templates')
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an onboarding template; checked now, not when sent' })
  @ApiCreatedResponse({ type: TemplateModel })
  @ApiInvalidInput()
  @ApiProblem(422, ErrorCode.TemplateInvalid, INVALID_TEMPLATE)
  async create(@CurrentStaff() staff: StaffPrincipal, @Body() body: CreateTemplateDto): Promise<TemplateView> {
    return this.notifications.createTemplate(staff.scope, body);
  }

  @Get('email-templates/:templateId')
  @ApiOkResponse({ type: TemplateModel })
  @ApiNotFound('template')
  async get(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('templateId', new ResourceIdPipe('template')) templateId: string,
  ): Promise<TemplateView> {
    return this.notifications.getTemplate(staff.scope, templateId);
  }

  @Patch('email-templates/:templateId')
  @ApiOkResponse({ type: TemplateModel })
  @ApiInvalidInput()
  @ApiNotFound('template')
  @ApiProblem(403, ErrorCode.Forbidden, 'presets cannot be changed')
  @ApiProblem(422, ErrorCode.TemplateInvalid, INVALID_TEMPLATE)
  async update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('templateId', new ResourceIdPipe('template')) templateId: string,
    @Body() body: UpdateTemplateDto,
  ): Promise<TemplateView> {
    return this.notifications.updateTemplate(staff.scope, templateId, body);
  }

  @Delete('email-templates/:templateId')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiNotFound('template')
  @ApiProblem(403, ErrorCode.Forbidden, 'presets cannot be deleted')
  async remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('templateId', new ResourceIdPipe('template')) templateId: string,
  ): Promise<void> {
    return this.notifications.deleteTemplate(staff.scope, templateId);
  }

  @Post('email-templates/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: "Render a template that is not saved (the editor's live preview), checked like a save",
  })
  @ApiOkResponse({ type: RenderedEmailModel })
  @ApiInvalidInput()
  @ApiProblem(422, ErrorCode.TemplateInvalid, INVALID_TEMPLATE)
  async previewDraft(@CurrentStaff() staff: StaffPrincipal, @Body() body: PreviewTemplateDto): Promise<RenderedEmail> {
    const { firm } = await this.contacts.staffUser(staff.scope, staff.userId);
    return this.notifications.previewDraft(staff.scope, body, firm);
  }

  @Post('email-templates/:templateId/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: "Render with sample data, the firm's name and branding: what a contact would see",
  })
  @ApiOkResponse({ type: RenderedEmailModel })
  @ApiNotFound('template')
  async preview(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('templateId', new ResourceIdPipe('template')) templateId: string,
  ): Promise<RenderedEmail> {
    const { firm } = await this.contacts.staffUser(staff.scope, staff.userId);
    return this.notifications.previewTemplate(staff.scope, templateId, firm);
  }

  @Get('notifications')
  @ApiOperation({ summary: 'The delivery log: each email with status queued / sent / failed, attempts and last error' })
  @ApiOkResponse({ type: DeliveryPage, description: 'A page of deliveries, newest first' })
  @ApiInvalidInput()
  async deliveries(
    @CurrentStaff() staff: StaffPrincipal,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<Page<DeliveryView>> {
    return this.notifications.deliveries(staff.scope, query);
  }

  @Get('settings/reminders')
  @ApiOperation({ summary: "The firm's invite reminders: on or off, and after which days (default 3 and 7)" })
  @ApiOkResponse({ type: ReminderSettingsDto })
  async reminderSettings(@CurrentStaff() staff: StaffPrincipal): Promise<ReminderSettingsView> {
    return this.notifications.reminderSettings(staff.scope);
  }

  @Put('settings/reminders')
  @StaffRoute('owner', 'admin')
  @ApiOperation({
    summary:
      'Turn invite reminders on or off and choose the days after a send (1 to 5 days, each 1-60); applies to pending invites too',
  })
  @ApiOkResponse({ type: ReminderSettingsDto })
  @ApiInvalidInput()
  async saveReminderSettings(
    @CurrentStaff() staff: StaffPrincipal,
    @Body() body: ReminderSettingsDto,
  ): Promise<ReminderSettingsView> {
    return this.notifications.saveReminderSettings(staff.scope, body);
  }
}
