import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule } from '@cp/messaging';
import { ContactsConfig } from './config';
import { ContactsController } from './controllers/contacts.controller';
import { ContactRepository } from './repositories/contact.repository';
import { Contact, ContactSchema } from './repositories/contact.schema';
import { AddContact } from './use-cases/add-contact.use-case';

export const SERVICE = 'contacts';

@Module({})
export class ContactsModule {
  static forRoot(config: ContactsConfig): DynamicModule {
    return {
      module: ContactsModule,
      imports: [
        DataServiceModule.forRoot({
          service: SERVICE,
          config,
          models: [{ name: Contact.name, schema: ContactSchema }],
          outboxModels: [Contact.name],
        }),
      ],
      controllers: [ContactsController],
      providers: [{ provide: ContactsConfig, useValue: config }, ContactRepository, AddContact],
    };
  }
}
