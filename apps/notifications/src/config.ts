import { Transform } from 'class-transformer';
import { IsEmail, IsInt, Matches, Max, Min } from 'class-validator';
import { DataServiceConfig, toInt } from '@cp/config';

export class NotificationsConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3003;

  /** smtp://[user:pass@]host:port, or smtps:// for implicit TLS. */
  @Matches(/^smtps?:\/\/\S+$/, { message: 'SMTP_URL must be an smtp:// or smtps:// URL' })
  SMTP_URL!: string;

  @IsEmail({ allow_display_name: false }, { message: 'MAIL_FROM must be an email address' })
  MAIL_FROM!: string;

  /** Same key as the invites service: opens the sealed invite links. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'INVITE_LINK_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  INVITE_LINK_KEY!: string;

  /** Days after an invite's send when a reminder goes out if it is still pending; empty turns reminders off. */
  @Matches(/^(\d{1,2}(,\d{1,2})*)?$/, {
    message: 'INVITE_REMINDER_DAYS must be a comma-separated list of days, e.g. 3,7',
  })
  INVITE_REMINDER_DAYS = '3,7';

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  REMINDER_SWEEP_MS = 60_000;

  /** SMTP connections in the pool, and so emails in flight at once. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100)
  MAIL_POOL_SIZE = 5;

  /** Due deliveries claimed at once by one worker (one read, one claim, then sent through the pool). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  DELIVERY_BATCH_SIZE = 200;

  /**
   * Test-only: waits this long after the SMTP server took an email before recording it, so a
   * test can kill the service inside that window (see README, "Delivery guarantee").
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  TEST_PAUSE_AFTER_SMTP_MS = 0;

  /** Test-only: shifts this service's clock, so reminders can be tested without waiting days. */
  @Transform(toInt)
  @IsInt()
  CLOCK_OFFSET_MS = 0;
}
