import { Transform } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { join } from 'node:path';
import { BaseConfig, IsHttpUrl, toInt } from '@cp/config';

export class GatewayConfig extends BaseConfig {
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  override PORT = 3000;

  @IsHttpUrl('CONTACTS_URL') CONTACTS_URL!: string;
  @IsHttpUrl('INVITES_URL') INVITES_URL!: string;
  @IsHttpUrl('NOTIFICATIONS_URL') NOTIFICATIONS_URL!: string;
  @IsHttpUrl('FILES_URL') FILES_URL!: string;
  @IsHttpUrl('AUDIT_URL') AUDIT_URL!: string;

  /** Signs staff and portal access tokens (HS256). 32+ random characters. */
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET!: string;

  @Transform(toInt)
  @IsInt()
  @Min(60)
  @Max(3600)
  ACCESS_TOKEN_TTL_SECONDS = 900;

  /** Requests per minute from one client address, on every /v1 route. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  RATE_LIMIT_PER_MINUTE = 600;

  /**
   * Sign-in attempts per minute from one client address, whatever the email. Generous enough
   * for an office of staff behind one NAT address; the per-account limit stops guessing.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  LOGIN_RATE_LIMIT_PER_ADDRESS = 30;

  /** Sign-in attempts per minute for one email, from any address (known or unknown email alike). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  LOGIN_RATE_LIMIT_PER_ACCOUNT = 5;

  /** Password-reset, new-link and password-change requests per minute from one client address. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  RECOVERY_RATE_LIMIT_PER_ADDRESS = 10;

  /**
   * The same per account, over 15 minutes: the email (with the firm, for the portal), the link's
   * token, or the signed-in session. Bounds the emails one address can be sent, known or not.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  RECOVERY_RATE_LIMIT_PER_ACCOUNT = 5;

  /**
   * Reverse proxies in front of the gateway (an Ingress counts as one). The client address used
   * for rate limits is taken that many hops back in X-Forwarded-For; 0 trusts no header.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  TRUST_PROXY_HOPS = 0;

  /** The built web app (apps/web/dist): served at /app and /portal when it is there. */
  @IsString()
  WEB_APP_DIR = join(__dirname, '..', '..', '..', '..', '..', '..', 'apps', 'web', 'dist');
}
