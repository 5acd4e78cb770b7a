import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClientView, CreateClientDto, ListClientsQueryDto, Page, UpdateClientDto } from '@cp/contracts';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound } from '../dto/problems';
import { ClientModel, ClientPage } from '../dto/views';
import { ContactsClient } from '../repositories/contacts.client';
import { ResourceIdPipe } from './resource-id.pipe';

const clientId = () => new ResourceIdPipe('client');

@ApiTags('Clients')
@ApiCommonProblems()
@StaffRoute()
@Controller('clients')
export class ClientsController {
  constructor(private readonly contacts: ContactsClient) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a client (a household or a business)' })
  @ApiCreatedResponse({ type: ClientModel })
  @ApiInvalidInput()
  async create(@CurrentStaff() staff: StaffPrincipal, @Body() body: CreateClientDto): Promise<ClientView> {
    return this.contacts.createClient(staff.scope, body);
  }

  @Get()
  @ApiOperation({ summary: 'List clients, oldest first; `search` matches the name case-insensitively' })
  @ApiOkResponse({ type: ClientPage })
  @ApiInvalidInput()
  async list(@CurrentStaff() staff: StaffPrincipal, @Query() query: ListClientsQueryDto): Promise<Page<ClientView>> {
    return this.contacts.listClients(staff.scope, query);
  }

  @Get(':clientId')
  @ApiOperation({ summary: 'One client' })
  @ApiOkResponse({ type: ClientModel })
  @ApiNotFound('client')
  async get(@CurrentStaff() staff: StaffPrincipal, @Param('clientId', clientId()) id: string): Promise<ClientView> {
    return this.contacts.getClient(staff.scope, id);
  }

  @Patch(':clientId')
  @ApiOperation({ summary: 'Rename a client or change its kind' })
  @ApiOkResponse({ type: ClientModel })
  @ApiInvalidInput()
  @ApiNotFound('client')
  async update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', clientId()) id: string,
    @Body() body: UpdateClientDto,
  ): Promise<ClientView> {
    return this.contacts.updateClient(staff.scope, id, body);
  }

  @Delete(':clientId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a client; its contacts stay, unlinked from it' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFound('client')
  async remove(@CurrentStaff() staff: StaffPrincipal, @Param('clientId', clientId()) id: string): Promise<void> {
    return this.contacts.deleteClient(staff.scope, id);
  }
}
