import { Injectable } from '@nestjs/common';
import { NotificationsConfig } from '../config';

/** The service's notion of now; tests shift it (CLOCK_OFFSET_MS) to reach reminder dates. */
@Injectable()
export class Clock {
  constructor(private readonly config: NotificationsConfig) {}

  now(): Date {
    return new Date(Date.now() + this.config.CLOCK_OFFSET_MS);
  }
}
