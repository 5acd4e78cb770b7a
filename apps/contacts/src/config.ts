import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { DataServiceConfig, IsHttpUrl, toInt } from '@cp/config';

export class ContactsConfig extends DataServiceConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3001;

  /** How long a staff refresh token stays usable (each rotation issues a new one). */
  @Transform(toInt)
  @IsInt()
  @Min(3600)
  @Max(90 * 24 * 3600)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  /** Where the portal web app runs; the firm app is beside it (`…/app`) unless APP_URL says otherwise. */
  @IsHttpUrl('PORTAL_URL')
  PORTAL_URL!: string;

  /** The firm app (staff password-reset links, the contact link in staff emails). */
  @IsOptional()
  @IsHttpUrl('APP_URL')
  APP_URL?: string;

  /** 32 random bytes, base64: seals password-reset links for the notifications service (same key there). */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'INVITE_LINK_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  INVITE_LINK_KEY!: string;

  /** Test-only: shifts this service's clock, so reset-link expiry can be tested without waiting. */
  @Transform(toInt)
  @IsInt()
  CLOCK_OFFSET_MS = 0;
  /** The invites service: a contacts import with `invite=true` sends its invites there. */
  @IsHttpUrl('INVITES_URL')
  INVITES_URL!: string;
  /** 32 random bytes, base64: seals staff TOTP secrets at rest (only this service holds it). */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'TWO_STEP_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  TWO_STEP_KEY!: string;
}
