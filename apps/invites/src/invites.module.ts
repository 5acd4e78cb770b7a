import {
  accountActivitySchema,
  passwordResetLinkSchema,
  refreshSessionSchema,
  trustedDeviceSchema,
  twoStepChallengeSchema,
} from '@cp/auth';
import { DynamicModule, Module } from '@nestjs/common';
import { DataServiceModule } from '@cp/messaging';
import { InvitesConfig } from './config';
import { InvitesController } from './controllers/invites.controller';
import { SettingsController } from './controllers/settings.controller';
import { FirmSettings, FirmSettingsRepository, FirmSettingsSchema } from './repositories/firm-settings.repository';
import { PortalController } from './controllers/portal.controller';
import { ContactEmailHandler } from './handlers/contact-email.handler';
import { EmailOutcomeHandler } from './handlers/email-outcome.handler';
import { InviteRepository } from './repositories/invite.repository';
import { Invite, InviteSchema } from './repositories/invite.schema';
import { PortalAccountRepository } from './repositories/portal-account.repository';
import { PortalAccount, PortalAccountSchema } from './repositories/portal-account.schema';
import { Clock } from './use-cases/clock';
import { ExpireInvites } from './use-cases/expire-invites.job';
import { Invitations } from './use-cases/invitations.use-case';
import { PortalAccess } from './use-cases/portal-access.use-case';
import { PORTAL_SESSION_MODEL, PortalSessions } from './use-cases/portal-sessions.use-case';
import { PORTAL_RESET_MODEL, PortalPasswords } from './use-cases/portal-passwords.use-case';
import {
  PORTAL_ACTIVITY_MODEL,
  PORTAL_CHALLENGE_MODEL,
  PORTAL_DEVICE_MODEL,
  PortalSignIn,
} from './use-cases/portal-sign-in.use-case';
import { PortalSignInController } from './controllers/portal-sign-in.controller';
import { PasswordChangedHandler } from './handlers/password-changed.handler';

export const SERVICE = 'invites';

@Module({})
export class InvitesModule {
  static forRoot(config: InvitesConfig): DynamicModule {
    return {
      module: InvitesModule,
      imports: [
        DataServiceModule.forRoot({
          service: SERVICE,
          config,
          models: [
            { name: Invite.name, schema: InviteSchema },
            { name: PortalAccount.name, schema: PortalAccountSchema },
            { name: FirmSettings.name, schema: FirmSettingsSchema },
            { name: PORTAL_SESSION_MODEL, schema: refreshSessionSchema('portal_sessions') },
            { name: PORTAL_RESET_MODEL, schema: passwordResetLinkSchema('portal_password_resets') },
            { name: PORTAL_CHALLENGE_MODEL, schema: twoStepChallengeSchema('portal_two_step_challenges') },
            { name: PORTAL_DEVICE_MODEL, schema: trustedDeviceSchema('portal_trusted_devices') },
            { name: PORTAL_ACTIVITY_MODEL, schema: accountActivitySchema('portal_account_activity') },
          ],
          outboxModels: [
            Invite.name,
            PortalAccount.name,
            PORTAL_RESET_MODEL,
            FirmSettings.name,
            PORTAL_CHALLENGE_MODEL,
            PORTAL_ACTIVITY_MODEL,
          ],
        }),
      ],
      controllers: [InvitesController, PortalController, PortalSignInController, SettingsController],
      providers: [
        { provide: InvitesConfig, useValue: config },
        ContactEmailHandler,
        EmailOutcomeHandler,
        PasswordChangedHandler,
        Clock,
        InviteRepository,
        PortalAccountRepository,
        FirmSettingsRepository,
        Invitations,
        PortalAccess,
        PortalSessions,
        PortalPasswords,
        PortalSignIn,
        ExpireInvites,
      ],
    };
  }
}
