import { Injectable, OnModuleInit } from '@nestjs/common';
import { Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { DeliverEmail } from '../use-cases/deliver-email.use-case';

/**
 * Each invite's email command becomes a stored delivery (a batch of commands in a few writes); so
 * do the password-reset and new-link commands from contacts and invites.
 */
@Injectable()
export class InviteEmailHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly deliver: DeliverEmail,
  ) {}

  onModuleInit(): void {
    this.events.on(
      Topic.InviteEmailRequested,
      async (event) => this.deliver.enqueueInvites([event]),
      async (events) => this.deliver.enqueueInvites(events),
    );
    this.events.on(Topic.PasswordResetEmailRequested, async (event) => this.deliver.enqueuePasswordReset(event));
    this.events.on(Topic.NewLinkEmailRequested, async (event) => this.deliver.enqueueNewLinkNotice(event));
  }
}
