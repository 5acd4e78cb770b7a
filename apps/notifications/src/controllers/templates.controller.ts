import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  CreateTemplateDto,
  Page,
  PreviewTemplateDto,
  RenderedEmail,
  TemplateView,
  UpdateTemplateDto,
} from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { EmailTemplates } from '../use-cases/email-templates.use-case';

@Controller('firms/:firmId/email-templates')
export class TemplatesController {
  constructor(private readonly templates: EmailTemplates) {}

  @Get()
  async list(@Param('firmId') firmId: string): Promise<Page<TemplateView>> {
    return { items: await this.templates.list(firmScope(firmId)), nextCursor: null };
  }

  @Post()
  @HttpCode(201)
  async create(@Param('firmId') firmId: string, @Body() body: CreateTemplateDto): Promise<TemplateView> {
    return this.templates.create(firmScope(firmId), body);
  }

  @Get(':templateId')
  async get(@Param('firmId') firmId: string, @Param('templateId') id: string): Promise<TemplateView> {
    return this.templates.get(firmScope(firmId), id);
  }

  @Patch(':templateId')
  async update(
    @Param('firmId') firmId: string,
    @Param('templateId') id: string,
    @Body() body: UpdateTemplateDto,
  ): Promise<TemplateView> {
    return this.templates.update(firmScope(firmId), id, body);
  }

  @Delete(':templateId')
  @HttpCode(204)
  async remove(@Param('firmId') firmId: string, @Param('templateId') id: string): Promise<void> {
    await this.templates.remove(firmScope(firmId), id);
  }

  /** A draft rendered like a saved template: the editor's live preview. Declared before ':templateId'. */
  @Post('preview')
  @HttpCode(200)
  previewDraft(
    @Body() body: PreviewTemplateDto,
    @Query('firmName') firmName?: string,
    @Query('logoUrl') logoUrl?: string,
    @Query('brandColor') brandColor?: string,
  ): RenderedEmail {
    return this.templates.previewDraft(body, {
      name: firmName?.slice(0, 120),
      logoUrl: logoUrl ?? null,
      brandColor: brandColor ?? null,
    });
  }

  /** Renders with sample data: what a contact would see, with the firm's own name and branding. */
  @Post(':templateId/preview')
  @HttpCode(200)
  async preview(
    @Param('firmId') firmId: string,
    @Param('templateId') id: string,
    @Query('firmName') firmName?: string,
    @Query('logoUrl') logoUrl?: string,
    @Query('brandColor') brandColor?: string,
  ): Promise<RenderedEmail> {
    return this.templates.preview(firmScope(firmId), id, {
      name: firmName?.slice(0, 120),
      logoUrl: logoUrl ?? null,
      brandColor: brandColor ?? null,
    });
  }
}
