import { DynamicModule, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { KafkaReadiness, MessagingModule } from '@cp/messaging';
import { HealthModule, loggingModule, MongoReadiness } from '@cp/platform';
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
        loggingModule(SERVICE, config.LOG_LEVEL),
        MongooseModule.forRoot(config.MONGO_URL, { dbName: `${config.STACK_PREFIX}${SERVICE}`, serverSelectionTimeoutMS: 5000 }),
        MongooseModule.forFeature([{ name: Contact.name, schema: ContactSchema }]),
        MessagingModule.forRoot({ service: SERVICE, config, outboxModels: [Contact.name] }),
        HealthModule.forRoot([MongoReadiness, KafkaReadiness]),
      ],
      controllers: [ContactsController],
      providers: [{ provide: ContactsConfig, useValue: config }, ContactRepository, AddContact],
    };
  }
}
