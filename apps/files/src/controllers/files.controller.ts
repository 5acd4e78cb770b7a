import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, FileView, Page, PageQueryDto, UpdateFileSharingDto } from '@cp/contracts';
import { currentActor, firmScope, receiveUpload, toPage } from '@cp/platform';
import type { Request, Response } from 'express';
import { FileLibrary } from '../use-cases/file-library.use-case';
import { UploadFile } from '../use-cases/upload-file.use-case';
import { sendFile } from './send-file';
import { toFileView } from './views';

/** The gateway names the staff member acting through this header. */
export const ACTOR_HEADER = 'x-actor-user-id';

/** Internal: the firm's side of files. */
@Controller('firms/:firmId')
export class FilesController {
  constructor(
    private readonly upload: UploadFile,
    private readonly library: FileLibrary,
  ) {}

  @Post('clients/:clientId/files')
  @HttpCode(201)
  async create(
    @Param('firmId') firmId: string,
    @Param('clientId') clientId: string,
    @Headers(ACTOR_HEADER) staffUserId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<FileView> {
    const scope = firmScope(firmId);
    const stored = await receiveUpload(req, res, async (file) =>
      this.upload.byStaff(scope, staffUserId, clientId, file),
    );
    return toFileView(stored);
  }

  @Get('clients/:clientId/files')
  async list(
    @Param('firmId') firmId: string,
    @Param('clientId') clientId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<FileView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const page = await this.library.listOfClient(firmScope(firmId), clientId, { cursor: query.cursor, limit });
    return toPage(page, limit, toFileView);
  }

  @Get('files/:fileId')
  async get(@Param('firmId') firmId: string, @Param('fileId') fileId: string): Promise<FileView> {
    return toFileView(await this.library.get(firmScope(firmId), fileId));
  }

  @Patch('files/:fileId')
  async share(
    @Param('firmId') firmId: string,
    @Param('fileId') fileId: string,
    @Body() body: UpdateFileSharingDto,
  ): Promise<FileView> {
    return toFileView(await this.library.share(firmScope(firmId), fileId, body.sharedWith));
  }

  @Delete('files/:fileId')
  @HttpCode(204)
  async remove(@Param('firmId') firmId: string, @Param('fileId') fileId: string): Promise<void> {
    await this.library.delete(firmScope(firmId), fileId);
  }

  @Get('files/:fileId/download')
  async download(
    @Param('firmId') firmId: string,
    @Param('fileId') fileId: string,
    @Headers(ACTOR_HEADER) staffUserId: string,
    @Res() res: Response,
  ): Promise<void> {
    const file = await this.library.get(firmScope(firmId), fileId);
    if (await sendFile(res, await this.library.download(file))) {
      await this.library.recordDownload(file, staffUserId ?? currentActor()?.id ?? 'unknown', 'staff');
    }
  }
}
