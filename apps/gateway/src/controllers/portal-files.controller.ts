import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DocumentRequestView, FileView, Page, PageQueryDto } from '@cp/contracts';
import type { Request, Response } from 'express';
import { CurrentContact, PortalPrincipal } from '../auth/principals';
import { PortalRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound } from '../dto/problems';
import { ApiDownload, ApiUpload } from '../dto/uploads';
import { DocumentRequestPage, FileModel, FilePage } from '../dto/views';
import { FilesClient } from '../repositories/files.client';
import { ResourceIdPipe } from './resource-id.pipe';

/** The contact's files and To-Do. A file neither shared with them nor theirs answers 404. */
@ApiTags('Portal')
@ApiCommonProblems()
@PortalRoute()
@Controller('portal')
export class PortalFilesController {
  constructor(private readonly files: FilesClient) {}

  @Get('files')
  @ApiOperation({ summary: 'Files shared with me and files I uploaded, oldest first; nothing else' })
  @ApiOkResponse({ type: FilePage })
  @ApiInvalidInput()
  async list(@CurrentContact() contact: PortalPrincipal, @Query() query: PageQueryDto): Promise<Page<FileView>> {
    return this.files.listForContact(contact.scope, contact.contactId, query);
  }

  @Post('files')
  @ApiOperation({
    summary:
      '"Add a File" (streamed). With `requestId` it fulfils that request (and goes to its client); otherwise ' +
      'to `clientId`, or to my only client.',
  })
  @ApiUpload({
    requestId: { type: 'string', description: 'A document request of my To-Do that this file fulfils' },
    clientId: { type: 'string', description: 'Which of my clients, when I belong to several' },
  })
  @ApiCreatedResponse({ type: FileModel })
  @ApiInvalidInput()
  @ApiNotFound('request or client of mine')
  async upload(@CurrentContact() contact: PortalPrincipal, @Req() req: Request, @Res() res: Response): Promise<void> {
    await this.files.uploadByContact(contact.scope, contact.contactId, req, res);
  }

  @Get('files/:fileId')
  @ApiOperation({ summary: "A file's metadata, if it is shared with me or mine" })
  @ApiOkResponse({ type: FileModel })
  @ApiNotFound('file shared with you')
  async get(
    @CurrentContact() contact: PortalPrincipal,
    @Param('fileId', new ResourceIdPipe('file')) fileId: string,
  ): Promise<FileView> {
    return this.files.getForContact(contact.scope, contact.contactId, fileId);
  }

  @Get('files/:fileId/download')
  @ApiOperation({ summary: 'Download a file shared with me or mine (streamed)' })
  @ApiDownload()
  @ApiNotFound('file shared with you')
  async download(
    @CurrentContact() contact: PortalPrincipal,
    @Param('fileId', new ResourceIdPipe('file')) fileId: string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await this.files.downloadForContact(contact.scope, contact.contactId, fileId, req, res);
  }

  @Get('todos')
  @ApiOperation({ summary: 'My open document requests (the To-Do), oldest first' })
  @ApiOkResponse({ type: DocumentRequestPage })
  @ApiInvalidInput()
  async todos(
    @CurrentContact() contact: PortalPrincipal,
    @Query() query: PageQueryDto,
  ): Promise<Page<DocumentRequestView>> {
    return this.files.todos(contact.scope, contact.contactId, query);
  }
}
