import { Injectable, OnModuleInit } from '@nestjs/common';
import { Topic } from '@cp/contracts';
import { EventConsumer } from '@cp/messaging';
import { DeliverEmail } from '../use-cases/deliver-email.use-case';

/** The portal's sign-in code: stored as a delivery (idempotent by challenge) and sent like any email. */
@Injectable()
export class TwoStepCodeHandler implements OnModuleInit {
  constructor(
    private readonly events: EventConsumer,
    private readonly deliver: DeliverEmail,
  ) {}

  onModuleInit(): void {
    this.events.on(Topic.TwoStepCodeRequested, async (event) => this.deliver.enqueueTwoStepCode(event));
  }
}
