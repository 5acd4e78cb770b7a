import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { HealthModule, loggingModule } from '@cp/platform';
import { AccessTokens } from './auth/access-tokens';
import { TwoStepController } from './controllers/two-step.controller';
import { PortalSessions } from './use-cases/portal-sessions.use-case';
import { PortalAuthGuard, StaffAuthGuard, StaffPasswordGuard, StaffRolesGuard } from './auth/guards';
import { RateLimitGuard, rateLimits } from './auth/rate-limits';
import { StaffPasswordStrategy } from './auth/staff-password.strategy';
import { PortalJwtStrategy, StaffJwtStrategy } from './auth/token-strategies';
import { GatewayConfig } from './config';
import { ClientsController } from './controllers/clients.controller';
import { ContactsController } from './controllers/contacts.controller';
import { StaffAuthController } from './controllers/staff-auth.controller';
import { StaffUsersController } from './controllers/staff-users.controller';
import { ContactsClient } from './repositories/contacts.client';
import { InvitesClient } from './repositories/invites.client';
import { NotificationsClient } from './repositories/notifications.client';
import { SendInvites } from './use-cases/send-invites.use-case';
import { InvitesController } from './controllers/invites.controller';
import { PortalController } from './controllers/portal.controller';
import { EmailTemplatesController } from './controllers/email-templates.controller';
import { FilesController } from './controllers/files.controller';
import { PortalFilesController } from './controllers/portal-files.controller';
import { FilesClient } from './repositories/files.client';
import { FirmController } from './controllers/firm.controller';
import { ImportsController } from './controllers/imports.controller';
import { ContactImportsClient } from './repositories/contact-imports.client';
import { AuditController } from './controllers/audit.controller';
import { AuditClient } from './repositories/audit.client';
import { ServiceDirectory, ServicesReadiness } from './repositories/service-directory';
import { ServiceHttp } from './repositories/service-http';
import { StaffSessions } from './use-cases/staff-sessions.use-case';

export const SERVICE = 'gateway';

/** Every HTTP controller of the gateway (the route-guard test walks them all). */
export const GATEWAY_CONTROLLERS = [
  StaffAuthController,
  StaffUsersController,
  ClientsController,
  ContactsController,
  InvitesController,
  PortalController,
  EmailTemplatesController,
  FilesController,
  PortalFilesController,
  FirmController,
  ImportsController,
  AuditController,
  TwoStepController,
];

@Module({})
export class GatewayModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    const configProvider = { provide: GatewayConfig, useValue: config };
    return {
      module: GatewayModule,
      global: true,
      imports: [
        loggingModule(SERVICE, config.LOG_LEVEL),
        HealthModule.forRoot([ServicesReadiness]),
        PassportModule.register({ session: false }),
        JwtModule.register({ secret: config.JWT_SECRET, signOptions: { algorithm: 'HS256' } }),
        ThrottlerModule.forRoot(rateLimits(config)),
      ],
      controllers: GATEWAY_CONTROLLERS,
      providers: [
        configProvider,
        ServiceDirectory,
        ServiceHttp,
        ContactsClient,
        ContactImportsClient,
        InvitesClient,
        NotificationsClient,
        FilesClient,
        AuditClient,
        SendInvites,
        AccessTokens,
        StaffJwtStrategy,
        PortalJwtStrategy,
        StaffPasswordStrategy,
        StaffAuthGuard,
        PortalAuthGuard,
        StaffPasswordGuard,
        StaffRolesGuard,
        StaffSessions,
        PortalSessions,
        // Every request is counted, before authentication: a flood never reaches password hashing.
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
      exports: [configProvider, ServiceDirectory],
    };
  }
}
