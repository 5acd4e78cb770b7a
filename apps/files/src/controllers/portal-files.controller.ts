import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, DocumentRequestView, FileView, Page, PageQueryDto } from '@cp/contracts';
import { firmScope, receiveUpload, toPage } from '@cp/platform';
import type { Request, Response } from 'express';
import { DocumentRequestRepository } from '../repositories/document-request.repository';
import { FileRepository } from '../repositories/file.repository';
import { FileLibrary } from '../use-cases/file-library.use-case';
import { UploadFile } from '../use-cases/upload-file.use-case';
import { sendFile } from './send-file';
import { toDocumentRequestView, toFileView } from './views';

/** Internal: one contact's side: what is shared with them or theirs, and their To-Do. */
@Controller('firms/:firmId/contacts/:contactId')
export class PortalFilesController {
  constructor(
    private readonly upload: UploadFile,
    private readonly library: FileLibrary,
    private readonly files: FileRepository,
    private readonly requests: DocumentRequestRepository,
  ) {}

  @Get('files')
  async list(
    @Param('firmId') firmId: string,
    @Param('contactId') contactId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<FileView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.files.pageVisibleTo(firmScope(firmId), contactId, { cursor: query.cursor, limit });
    return toPage(page, limit, toFileView);
  }

  @Post('files')
  @HttpCode(201)
  async create(
    @Param('firmId') firmId: string,
    @Param('contactId') contactId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FileView> {
    const scope = firmScope(firmId);
    return toFileView(await receiveUpload(req, res, async (file) => this.upload.byContact(scope, contactId, file)));
  }

  @Get('files/:fileId')
  async get(
    @Param('firmId') firmId: string,
    @Param('contactId') contactId: string,
    @Param('fileId') fileId: string,
  ): Promise<FileView> {
    return toFileView(await this.library.getForContact(firmScope(firmId), contactId, fileId));
  }

  @Get('files/:fileId/download')
  async download(
    @Param('firmId') firmId: string,
    @Param('contactId') contactId: string,
    @Param('fileId') fileId: string,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.library.getForContact(firmScope(firmId), contactId, fileId);
    if (await sendFile(res, await this.library.download(file))) {
      await this.library.recordDownload(file, contactId, 'contact');
    }
  }

  @Get('todos')
  async todos(
    @Param('firmId') firmId: string,
    @Param('contactId') contactId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<DocumentRequestView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.requests.pageOpenFor(firmScope(firmId), contactId, { cursor: query.cursor, limit });
    return toPage(page, limit, toDocumentRequestView);
  }
}
