import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { AddContactDto, ContactView } from '../dto/contact.dto';
import { ContactRepository } from '../repositories/contact.repository';
import { AddContact } from '../use-cases/add-contact.use-case';
import { toContactView } from './contact-view';

/** Internal API, reached through the gateway, which supplies the caller's firm. */
@Controller('firms/:firmId/contacts')
export class ContactsController {
  constructor(
    private readonly addContact: AddContact,
    private readonly contacts: ContactRepository,
  ) {}

  @Post()
  @HttpCode(201)
  async add(@Param('firmId') firmId: string, @Body() body: AddContactDto): Promise<ContactView> {
    return toContactView(await this.addContact.execute(firmScope(firmId), body));
  }

  @Get(':contactId')
  async get(@Param('firmId') firmId: string, @Param('contactId') contactId: string): Promise<ContactView> {
    const contact = await this.contacts.findById(firmScope(firmId), contactId);
    if (!contact) throw new DomainError(ErrorCode.NotFound, 'No such contact.');
    return toContactView(contact);
  }
}
