import {
  accountActivitySchema,
  passwordResetLinkSchema,
  refreshSessionSchema,
  trustedDeviceSchema,
  twoStepChallengeSchema,
} from '@cp/auth';
import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule, EventLog, EventLogRecord, EventLogRecordSchema } from '@cp/messaging';
import { ContactsConfig } from './config';
import { ClientsController } from './controllers/clients.controller';
import { ContactsController } from './controllers/contacts.controller';
import { StaffAuthController } from './controllers/staff-auth.controller';
import { StaffUsersController } from './controllers/staff-users.controller';
import { FirmsController } from './controllers/firms.controller';
import { ImportsController } from './controllers/imports.controller';
import { PortalStatusHandler } from './handlers/portal-status.handler';
import { ClientRepository } from './repositories/client.repository';
import { Client, ClientSchema } from './repositories/client.schema';
import { ContactRepository } from './repositories/contact.repository';
import { Contact, ContactSchema } from './repositories/contact.schema';
import { ContactImportRepository } from './repositories/contact-import.repository';
import {
  ContactImport,
  ContactImportChunk,
  ContactImportChunkSchema,
  ContactImportSchema,
} from './repositories/contact-import.schema';
import { FirmRepository } from './repositories/firm.repository';
import { InvitesService } from './repositories/invites-service.repository';
import { Firm, FirmSchema } from './repositories/firm.schema';
import { StaffUserRepository } from './repositories/staff-user.repository';
import { StaffUser, StaffUserSchema } from './repositories/staff-user.schema';
import { AddContact } from './use-cases/add-contact.use-case';
import { ApplyPortalEvent } from './use-cases/apply-portal-event.use-case';
import { ClientDirectory } from './use-cases/client-directory.use-case';
import { ImportContacts } from './use-cases/import/import-contacts.use-case';
import { ImportWorker } from './use-cases/import/import-worker.job';
import { StaffAccounts } from './use-cases/staff-accounts.use-case';
import { STAFF_SESSION_MODEL, StaffSessions } from './use-cases/staff-sessions.use-case';
import { UpdateContact } from './use-cases/update-contact.use-case';
import { RecordNewLinkRequest } from './use-cases/new-link-request.use-case';
import { STAFF_RESET_MODEL, StaffPasswords } from './use-cases/staff-passwords.use-case';
import { TwoStepController } from './controllers/two-step.controller';
import { PasswordChangedHandler } from './handlers/password-changed.handler';
import {
  StaffSecondStep,
  StaffSecondStepRepository,
  StaffSecondStepSchema,
} from './repositories/staff-second-step.repository';
import {
  STAFF_ACTIVITY_MODEL,
  STAFF_CHALLENGE_MODEL,
  STAFF_DEVICE_MODEL,
  StaffSignIn,
} from './use-cases/staff-sign-in.use-case';

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
          models: [
            { name: Firm.name, schema: FirmSchema },
            { name: StaffUser.name, schema: StaffUserSchema },
            { name: STAFF_SESSION_MODEL, schema: refreshSessionSchema('staff_sessions') },
            { name: STAFF_RESET_MODEL, schema: passwordResetLinkSchema('staff_password_resets') },
            { name: Client.name, schema: ClientSchema },
            { name: Contact.name, schema: ContactSchema },
            { name: ContactImport.name, schema: ContactImportSchema },
            { name: ContactImportChunk.name, schema: ContactImportChunkSchema },
            { name: EventLogRecord.name, schema: EventLogRecordSchema },
            { name: StaffSecondStep.name, schema: StaffSecondStepSchema },
            { name: STAFF_CHALLENGE_MODEL, schema: twoStepChallengeSchema('staff_two_step_challenges') },
            { name: STAFF_DEVICE_MODEL, schema: trustedDeviceSchema('staff_trusted_devices') },
            { name: STAFF_ACTIVITY_MODEL, schema: accountActivitySchema('staff_account_activity') },
          ],
          outboxModels: [
            Contact.name,
            StaffUser.name,
            STAFF_RESET_MODEL,
            Firm.name,
            EventLogRecord.name,
            STAFF_ACTIVITY_MODEL,
          ],
        }),
      ],
      controllers: [
        TwoStepController,
        StaffAuthController,
        StaffUsersController,
        FirmsController,
        ClientsController,
        ContactsController,
        ImportsController,
      ],
      providers: [
        { provide: ContactsConfig, useValue: config },
        PortalStatusHandler,
        PasswordChangedHandler,
        StaffSecondStepRepository,
        StaffSignIn,
        FirmRepository,
        StaffUserRepository,
        EventLog,
        ClientRepository,
        ContactRepository,
        StaffAccounts,
        StaffSessions,
        ClientDirectory,
        AddContact,
        UpdateContact,
        ApplyPortalEvent,
        StaffPasswords,
        RecordNewLinkRequest,
        ContactImportRepository,
        InvitesService,
        ImportContacts,
        ImportWorker,
      ],
    };
  }
}
