import { Transform } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { DataServiceConfig, toInt } from '@cp/config';

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

  /** 32 random bytes, base64: seals staff TOTP secrets at rest (only this service holds it). */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'TWO_STEP_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  TWO_STEP_KEY!: string;
}
