import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Topic } from '@cp/contracts';
import { InvitesConfig } from '../config';
import { InviteRepository } from '../repositories/invite.repository';
import { Clock } from './clock';
import { inviteEndedEvent } from './invite-events';

/** Marks invites past their date as expired and announces it (InviteExpired). */
@Injectable()
export class ExpireInvites implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpireInvites.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly invites: InviteRepository,
    private readonly clock: Clock,
    private readonly config: InvitesConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweep().catch((error: unknown) =>
        this.logger.warn({ err: String(error) }, 'expiry sweep failed; will retry'),
      );
    }, this.config.EXPIRY_SWEEP_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
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
