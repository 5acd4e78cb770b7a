import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  AddContactDto,
  ContactView,
  DEFAULT_PAGE_SIZE,
  LookupContactsDto,
  Page,
  PageQueryDto,
  UpdateContactDto,
} from '@cp/contracts';
import { firmScope, toPage } from '@cp/platform';
import { ContactRepository } from '../repositories/contact.repository';
import { AddContact } from '../use-cases/add-contact.use-case';
import { ClientDirectory } from '../use-cases/client-directory.use-case';
import { contactNotFound, UpdateContact } from '../use-cases/update-contact.use-case';
import { toContactView } from './views';

/** Internal API, reached through the gateway, which supplies the caller's firm from its token. */
@Controller('firms/:firmId')
export class ContactsController {
  constructor(
    private readonly addContact: AddContact,
    private readonly updateContact: UpdateContact,
    private readonly directory: ClientDirectory,
    private readonly contacts: ContactRepository,
  ) {}

  @Post('clients/:clientId/contacts')
  @HttpCode(201)
  async add(
    @Param('firmId') firmId: string,
    @Param('clientId') clientId: string,
    @Body() body: AddContactDto,
  ): Promise<ContactView> {
    return toContactView(await this.addContact.execute(firmScope(firmId), clientId, body));
  }

  @Get('clients/:clientId/contacts')
  async listOfClient(
    @Param('firmId') firmId: string,
    @Param('clientId') clientId: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<ContactView>> {
    const scope = firmScope(firmId);
    await this.directory.get(scope, clientId); // 404 for a client that is not this firm's
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    return toPage(
      await this.contacts.pageOfClient(scope, clientId, { cursor: query.cursor, limit }),
      limit,
      toContactView,
    );
  }

  /** Many contacts in one call; ids that are not this firm's contacts are simply absent. */
  @Post('contacts/lookup')
  @HttpCode(200)
  async lookup(@Param('firmId') firmId: string, @Body() body: LookupContactsDto): Promise<{ items: ContactView[] }> {
    return { items: (await this.contacts.findByIds(firmScope(firmId), body.ids)).map(toContactView) };
  }

  @Get('contacts/:contactId')
  async get(@Param('firmId') firmId: string, @Param('contactId') contactId: string): Promise<ContactView> {
    const contact = await this.contacts.findById(firmScope(firmId), contactId);
    if (!contact) throw contactNotFound();
    return toContactView(contact);
  }

  @Patch('contacts/:contactId')
  async update(
    @Param('firmId') firmId: string,
    @Param('contactId') contactId: string,
    @Body() body: UpdateContactDto,
  ): Promise<ContactView> {
    return toContactView(await this.updateContact.execute(firmScope(firmId), contactId, body));
  }

  @Delete('contacts/:contactId')
  @HttpCode(204)
  async remove(@Param('firmId') firmId: string, @Param('contactId') contactId: string): Promise<void> {
    if (!(await this.contacts.remove(firmScope(firmId), contactId))) throw contactNotFound();
  }
}
