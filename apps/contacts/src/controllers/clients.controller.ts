import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ClientView,
  CreateClientDto,
  DEFAULT_PAGE_SIZE,
  ListClientsQueryDto,
  Page,
  UpdateClientDto,
} from '@cp/contracts';
import { firmScope, toPage } from '@cp/platform';
import { ClientRepository } from '../repositories/client.repository';
import { ClientDirectory } from '../use-cases/client-directory.use-case';
import { toClientView } from './views';

@Controller('firms/:firmId/clients')
export class ClientsController {
  constructor(
    private readonly directory: ClientDirectory,
    private readonly clients: ClientRepository,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Param('firmId') firmId: string, @Body() body: CreateClientDto): Promise<ClientView> {
    return toClientView(await this.directory.create(firmScope(firmId), body));
  }

  @Get()
  async list(@Param('firmId') firmId: string, @Query() query: ListClientsQueryDto): Promise<Page<ClientView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const fetched = await this.clients.page(firmScope(firmId), { search: query.search, cursor: query.cursor, limit });
    return toPage(fetched, limit, toClientView);
  }

  @Get(':clientId')
  async get(@Param('firmId') firmId: string, @Param('clientId') clientId: string): Promise<ClientView> {
    return toClientView(await this.directory.get(firmScope(firmId), clientId));
  }

  @Patch(':clientId')
  async update(
    @Param('firmId') firmId: string,
    @Param('clientId') clientId: string,
    @Body() body: UpdateClientDto,
  ): Promise<ClientView> {
    return toClientView(await this.directory.update(firmScope(firmId), clientId, body));
  }

  @Delete(':clientId')
  @HttpCode(204)
  async remove(@Param('firmId') firmId: string, @Param('clientId') clientId: string): Promise<void> {
    await this.directory.remove(firmScope(firmId), clientId);
  }
}
