import { Injectable, OnModuleInit } from '@nestjs/common';
import { Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { StaffSignIn } from '../use-cases/staff-sign-in.use-case';

/**
 * A staff member's password changed (reset or change): the browsers they trusted for the second
 * step are no longer trusted. Repeats and any order are harmless: revoking twice revokes once.
 */
@Injectable()
export class PasswordChangedHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly signIn: StaffSignIn,
  ) {}

  onModuleInit(): void {
    this.events.on(Topic.PasswordChanged, async (event) => {
      if (event.data.accountKind !== 'staff') return;
      await this.signIn.forgetDevices(event.firmId, event.data.accountId);
    });
  }
}
