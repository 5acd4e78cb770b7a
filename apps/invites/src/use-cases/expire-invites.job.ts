import { Injectable, Logger } from '@nestjs/common';
import { PollingJob } from '@cp/platform';
import { Topic } from '@cp/contracts';
import { InvitesConfig } from '../config';
import { InviteRepository } from '../repositories/invite.repository';
import { Clock } from './clock';
import { inviteEndedEvent } from './invite-events';

const BATCH = 500;

/** Marks invites past their date as expired and announces it (InviteExpired). */
@Injectable()
export class ExpireInvites extends PollingJob {
  protected readonly logger = new Logger(ExpireInvites.name);

  constructor(
    private readonly invites: InviteRepository,
    private readonly clock: Clock,
    private readonly config: InvitesConfig,
  ) {
    super();
  }

  protected get pauseMs(): number {
    return this.config.EXPIRY_SWEEP_MS;
  }

  protected async runPass(): Promise<boolean> {
    this.countItems('expired', await this.sweep());
    return false;
  }

  async sweep(): Promise<number> {
    let expired = 0;
    for (;;) {
      const now = this.clock.now();
      const batch = await this.invites.findExpired(now, BATCH);
      expired += await this.invites.expireMany(
        now,
        batch.map((invite) => ({ inviteId: invite._id, event: inviteEndedEvent(invite, Topic.InviteExpired) })),
      );
      if (batch.length < BATCH || this.stopping) return expired;
    }
  }
}
