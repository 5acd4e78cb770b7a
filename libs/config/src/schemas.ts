import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? ['1', 'true', 'yes'].includes(value.toLowerCase()) : value;

/** What every process of the system reads. Each app extends one of these with its own fields. */
export class BaseConfig {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT!: number;

  /** 0.0.0.0 in containers; the local stack binds to loopback only. */
  @IsString()
  HOST = '0.0.0.0';

  /** Shared secret the gateway presents to services (header x-internal-token). */
  @IsString()
  @MinLength(16, { message: 'INTERNAL_API_TOKEN must be at least 16 characters' })
  INTERNAL_API_TOKEN!: string;

  /** OpenTelemetry traces, exported over OTLP/HTTP; off by default. */
  @Transform(toBool)
  @IsBoolean()
  TRACING_ENABLED = false;

  /** The collector's base URL (spans go to <url>/v1/traces); required when TRACING_ENABLED. */
  @ValidateIf((config: BaseConfig) => config.TRACING_ENABLED)
  @IsHttpUrl('OTEL_EXPORTER_OTLP_ENDPOINT')
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  /**
   * SIGTERM to exit at most: drain requests, finish batches and passes, close pools. Keep it below
   * the pod's terminationGracePeriodSeconds (30 s in k8s/base), or the kubelet kills first.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 25_000;

  /**
   * After SIGTERM, how long to keep serving while /ready answers 503, so load balancers (the
   * Kubernetes endpoints) stop routing here before the server stops accepting. Part of the grace.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SHUTDOWN_DELAY_MS = 0;
}

/** A service that owns a database and publishes or consumes events. */
export class DataServiceConfig extends BaseConfig {
  @Matches(/^mongodb(\+srv)?:\/\/\S+$/, { message: 'MONGO_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGO_URL!: string;

  /** Comma-separated host:port list. */
  @Matches(/^[\w.-]+:\d+(,[\w.-]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS!: string;

  /** Prefix for database names and consumer groups, so several stacks can share servers. */
  @IsOptional()
  @Matches(/^[a-z0-9_-]*$/, { message: 'STACK_PREFIX may hold only a-z, 0-9, _ and -' })
  STACK_PREFIX = '';

  /**
   * The relay's fallback poll. A write that records events wakes its own process's relay at
   * once, so this only bounds how soon leftovers (a failed publish, a crashed relay's lease) go out.
   */
  @Transform(toInt)
  @IsInt()
  @Min(20)
  @Max(60000)
  OUTBOX_POLL_MS = 2000;

  /** Off only in tests that need an event stuck in the outbox. */
  @Transform(toBool)
  @IsBoolean()
  OUTBOX_RELAY_ENABLED = true;

  /**
   * Whether the service creates the catalogue's topics (and their dead-letter twins) at start.
   * On for the local stack; off where the topics are managed elsewhere (the production overlay:
   * Strimzi KafkaTopic resources with their own partitions, replication and retention).
   */
  @Transform(toBool)
  @IsBoolean()
  KAFKA_CREATE_TOPICS = true;
}

export function kafkaBrokers(config: DataServiceConfig): string[] {
  return config.KAFKA_BROKERS.split(',').map((b) => b.trim());
}

export { toBool, toInt };

/** An http(s) URL variable; the message names the variable, as boot errors must. */
export function IsHttpUrl(variable: string): PropertyDecorator {
  return IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: `${variable} must be an http(s) URL` },
  );
}

/**
 * The firm app's base URL: APP_URL when set, else derived from PORTAL_URL, since the gateway
 * serves both areas side by side (`…/portal` → `…/app`).
 */
export function firmAppUrl(config: { APP_URL?: string; PORTAL_URL: string }): string {
  if (config.APP_URL) return config.APP_URL.replace(/\/+$/, '');
  const portal = config.PORTAL_URL.replace(/\/+$/, '');
  return portal.endsWith('/portal') ? `${portal.slice(0, -'/portal'.length)}/app` : `${new URL(portal).origin}/app`;
}
