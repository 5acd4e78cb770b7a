import { Injectable, Logger } from '@nestjs/common';
import { PollingJob } from '@cp/platform';
import { Topic } from '@cp/contracts';
import { InvitesConfig } from '../config';
import { InviteRepository } from '../repositories/invite.repository';
import { Clock } from './clock';
import { inviteEndedEvent } from './invite-events';

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
    await this.sweep();
    return false;
  }

  async sweep(): Promise<number> {
    let expired = 0;
    for (;;) {
      const batch = await this.invites.findExpired(this.clock.now(), 100);
      if (batch.length === 0) return expired;
      for (const invite of batch) {
        // The status filter makes this safe against a concurrent accept or a second replica.
        const done = await this.invites.transition(invite._id, ['pending'], { status: 'expired' }, [
          inviteEndedEvent(invite, Topic.InviteExpired),
        ]);
        if (done) expired++;
      }
      if (batch.length < 100) return expired;
    }
  }
}
