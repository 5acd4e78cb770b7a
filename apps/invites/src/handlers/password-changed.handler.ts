import { Injectable, OnModuleInit } from '@nestjs/common';
import { Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { firmScope } from '@cp/platform';
import { PortalSignIn } from '../use-cases/portal-sign-in.use-case';

/**
 * A contact's password changed (reset or change): the browsers they trusted for the second step
 * are no longer trusted. Repeats and any order are harmless: revoking twice revokes once.
 */
@Injectable()
export class PasswordChangedHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly signIn: PortalSignIn,
  ) {}

  onModuleInit(): void {
    this.events.on(Topic.PasswordChanged, async (event) => {
      if (event.data.accountKind !== 'contact') return;
      await this.signIn.forgetDevices(firmScope(event.firmId), event.data.accountId);
    });
  }
}
