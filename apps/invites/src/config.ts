import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { DataServiceConfig, IsHttpUrl, toInt } from '@cp/config';

export class InvitesConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3002;

  /** Where the portal web app runs; invite links are `${PORTAL_URL}/invite/{token}`. */
  @IsHttpUrl('PORTAL_URL')
  PORTAL_URL!: string;

  /** 32 random bytes, base64: seals invite links for the notifications service (same key there). */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'INVITE_LINK_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  INVITE_LINK_KEY!: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(90)
  INVITE_EXPIRY_DAYS = 30;

  /** How often the expiry job looks for invites past their date. */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  EXPIRY_SWEEP_MS = 60_000;

  /** Lifetime of a portal refresh token (each one works once; a new one comes with every use). */
  @Transform(toInt)
  @IsInt()
  @Min(300)
  PORTAL_REFRESH_TOKEN_TTL_SECONDS = 14 * 24 * 3600;

  /** Test-only: shifts this service's clock, so expiry can be tested without waiting 30 days. */
  @Transform(toInt)
  @IsInt()
  CLOCK_OFFSET_MS = 0;
}
