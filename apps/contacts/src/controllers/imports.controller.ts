import { Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, DomainError, ErrorCode, ImportRowsQueryDto, ImportView } from '@cp/contracts';
import { firmScope, receiveUpload } from '@cp/platform';
import type { Request, Response } from 'express';
import { ContactImportRepository } from '../repositories/contact-import.repository';
import { ImportContacts } from '../use-cases/import/import-contacts.use-case';
import { ImportWorker } from '../use-cases/import/import-worker.job';
import { toImportView } from './views';

/** The gateway names the staff member acting through this header. */
const ACTOR_HEADER = 'x-actor-user-id';

/** Internal: contacts imports from CSV. */
@Controller('firms/:firmId/imports')
export class ImportsController {
  constructor(
    private readonly importer: ImportContacts,
    private readonly worker: ImportWorker,
    private readonly imports: ContactImportRepository,
  ) {}

  @Post()
  @HttpCode(202)
  async start(
    @Param('firmId') firmId: string,
    @Headers(ACTOR_HEADER) staffUserId: string,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<ImportView> {
    const job = await receiveUpload(req, res, async (file) =>
      this.importer.start(firmScope(firmId), staffUserId, file),
    );
    this.worker.wake();
    return toImportView(job, [], null);
  }

  @Get(':importId')
  async get(
    @Param('firmId') firmId: string,
    @Param('importId') importId: string,
    @Query() query: ImportRowsQueryDto,
  ): Promise<ImportView> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const from = query.cursor === undefined ? 0 : Number(query.cursor);
    if (!/^\d{1,6}$/.test(query.cursor ?? '0')) {
      throw new DomainError(ErrorCode.ValidationFailed, 'The query is not valid.', {
        errors: [{ field: 'cursor', message: 'cursor must be a nextCursor of this import' }],
      });
    }
    const page = await this.imports.findPage(firmScope(firmId), importId, from, limit);
    if (!page) throw new DomainError(ErrorCode.NotFound, 'No such import.');
    const end = from + page.results.length;
    return toImportView(page.job, page.results, end < page.job.next ? String(end) : null);
  }
}
