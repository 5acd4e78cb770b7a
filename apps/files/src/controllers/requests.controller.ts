import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CreateDocumentRequestDto, DEFAULT_PAGE_SIZE, DocumentRequestView, Page, PageQueryDto } from '@cp/contracts';
import { firmScope, toPage } from '@cp/platform';
import { DocumentRequests } from '../use-cases/document-requests.use-case';
import { ACTOR_HEADER } from './files.controller';
import { toDocumentRequestView } from './views';

/** Internal: the firm's document requests of a client. */
@Controller('firms/:firmId/clients/:clientId/requests')
export class RequestsController {
  constructor(private readonly documentRequests: DocumentRequests) {}

  @Post()
  @HttpCode(201)
  async create(
    @Param('firmId') firmId: string,
    @Param('clientId') clientId: string,
    @Headers(ACTOR_HEADER) staffUserId: string,
    @Body() body: CreateDocumentRequestDto,
  ): Promise<DocumentRequestView> {
    const created = await this.documentRequests.create(firmScope(firmId), staffUserId, clientId, body);
    return toDocumentRequestView(created);
  }

  @Get()
  async list(
    @Param('firmId') firmId: string,
    @Param('clientId') clientId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<DocumentRequestView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const scope = firmScope(firmId);
    const page = await this.documentRequests.listOfClient(scope, clientId, { cursor: query.cursor, limit });
    return toPage(page, limit, toDocumentRequestView);
  }
}
