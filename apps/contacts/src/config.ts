import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
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

  /** The invites service: a contacts import with `invite=true` sends its invites there. */
  @IsHttpUrl('INVITES_URL')
  INVITES_URL!: string;
}
