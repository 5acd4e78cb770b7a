import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AddContactDto, ContactView, ErrorCode, Page, PageQueryDto, UpdateContactDto } from '@cp/contracts';
import { CurrentStaff, StaffPrincipal } from '../auth/principals';
import { StaffRoute } from '../auth/route-decorators';
import { ApiCommonProblems, ApiInvalidInput, ApiNotFound, ApiProblem } from '../dto/problems';
import { ContactModel, ContactPage } from '../dto/views';
import { ContactsClient } from '../repositories/contacts.client';
import { ResourceIdPipe } from './resource-id.pipe';

const EMAIL_TAKEN = 'another contact of your firm has this email; `contactId` names it';

@ApiTags('Contacts')
@ApiCommonProblems()
@StaffRoute()
@Controller()
export class ContactsController {
  constructor(private readonly contacts: ContactsClient) {}

  @Post('clients/:clientId/contacts')
  @HttpCode(201)
  @ApiOperation({ summary: 'Add a person at a client; the email may come later' })
  @ApiCreatedResponse({ type: ContactModel })
  @ApiInvalidInput()
  @ApiNotFound('client')
  @ApiProblem(409, ErrorCode.ContactEmailTaken, EMAIL_TAKEN)
  async add(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', new ResourceIdPipe('client')) clientId: string,
    @Body() body: AddContactDto,
  ): Promise<ContactView> {
    return this.contacts.addContact(staff.scope, clientId, body);
  }

  @Get('clients/:clientId/contacts')
  @ApiOperation({ summary: "A client's contacts, oldest first, each with its portal status" })
  @ApiOkResponse({ type: ContactPage })
  @ApiInvalidInput()
  @ApiNotFound('client')
  async list(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('clientId', new ResourceIdPipe('client')) clientId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ContactView>> {
    return this.contacts.listContactsOfClient(staff.scope, clientId, query);
  }

  @Get('contacts/:contactId')
  @ApiOperation({ summary: 'One contact, with its portal status' })
  @ApiOkResponse({ type: ContactModel })
  @ApiNotFound('contact')
  async get(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('contactId', new ResourceIdPipe('contact')) contactId: string,
  ): Promise<ContactView> {
    return this.contacts.getContact(staff.scope, contactId);
  }

  @Patch('contacts/:contactId')
  @ApiOperation({
    summary: 'Change a contact: add the missing email, or link it to other clients of your firm (`clientIds`)',
  })
  @ApiOkResponse({ type: ContactModel })
  @ApiInvalidInput()
  @ApiNotFound('contact or client')
  @ApiProblem(409, ErrorCode.ContactEmailTaken, EMAIL_TAKEN)
  async update(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('contactId', new ResourceIdPipe('contact')) contactId: string,
    @Body() body: UpdateContactDto,
  ): Promise<ContactView> {
    return this.contacts.updateContact(staff.scope, contactId, body);
  }

  @Delete('contacts/:contactId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a contact' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFound('contact')
  async remove(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('contactId', new ResourceIdPipe('contact')) contactId: string,
  ): Promise<void> {
    return this.contacts.deleteContact(staff.scope, contactId);
  }
}
