import { Injectable } from '@nestjs/common';
import { InvitesConfig } from '../config';

/** The service's notion of now; tests shift it (CLOCK_OFFSET_MS) to reach expiry dates. */
@Injectable()
export class Clock {
  constructor(private readonly config: InvitesConfig) {}

  now(): Date {
    return new Date(Date.now() + this.config.CLOCK_OFFSET_MS);
  }
}
