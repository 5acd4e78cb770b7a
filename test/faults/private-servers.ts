import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const INFRA = join(__dirname, '..', '..', 'infra', 'infra.sh');
/** Set, these make infra.sh use an outside server instead of running its own. */
const ADDRESS_VARIABLES = ['KAFKA_BROKERS', 'MONGO_URL', 'S3_ENDPOINT', 'SMTP_URL'];

export type ServerName = 'kafka' | 'mongo' | 'minio' | 'smtp';

/**
 * A private copy of every local server (infra/infra.sh, the same pinned builds as `npm start`),
 * on ports of its own (`base`…`base+6`) with its data in a temporary folder: the fault run stops
 * and restarts these, never the shared servers on 9092, 27017, 9000 and 1025.
 */
export class PrivateServers {
  readonly dir = mkdtempSync(join(tmpdir(), 'cp-faults-'));
  readonly ports: Record<
    'kafka' | 'kafkaController' | 'mongo' | 'minio' | 'minioConsole' | 'smtp' | 'smtpHttp',
    number
  >;

  constructor(base: number) {
    this.ports = {
      kafka: base,
      kafkaController: base + 1,
      mongo: base + 2,
      minio: base + 3,
      minioConsole: base + 4,
      smtp: base + 5,
      smtpHttp: base + 6,
    };
  }

  /** The services' environment for these servers. */
  get addresses(): NodeJS.ProcessEnv {
    return {
      KAFKA_BROKERS: `127.0.0.1:${this.ports.kafka}`,
      MONGO_URL: `mongodb://127.0.0.1:${this.ports.mongo}`,
      S3_ENDPOINT: `http://127.0.0.1:${this.ports.minio}`,
      S3_ACCESS_KEY: 'clientportal',
      S3_SECRET_KEY: 'clientportal-local-secret',
      SMTP_URL: `smtp://127.0.0.1:${this.ports.smtp}`,
    };
  }

  get mailApi(): string {
    return `http://127.0.0.1:${this.ports.smtpHttp}`;
  }

  up(...servers: ServerName[]): void {
    this.infra('up', servers);
  }

  down(...servers: ServerName[]): void {
    this.infra('down', servers);
  }

  /** Stops every server and removes their data. */
  remove(): void {
    try {
      this.down('kafka', 'mongo', 'minio', 'smtp');
    } finally {
      rmSync(this.dir, { recursive: true, force: true });
    }
  }

  private infra(command: 'up' | 'down', servers: ServerName[]): void {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ADDRESS_VARIABLES.includes(name)));
    execFileSync('bash', [INFRA, command, ...servers], {
      stdio: 'pipe',
      timeout: 300_000,
      env: {
        ...env,
        INFRA_DIR: this.dir,
        INFRA_KAFKA_PORT: String(this.ports.kafka),
        INFRA_KAFKA_CONTROLLER_PORT: String(this.ports.kafkaController),
        INFRA_MONGO_PORT: String(this.ports.mongo),
        INFRA_MINIO_PORT: String(this.ports.minio),
        INFRA_MINIO_CONSOLE_PORT: String(this.ports.minioConsole),
        INFRA_SMTP_PORT: String(this.ports.smtp),
        INFRA_SMTP_HTTP_PORT: String(this.ports.smtpHttp),
        S3_ACCESS_KEY: 'clientportal',
        S3_SECRET_KEY: 'clientportal-local-secret',
      },
    });
  }
}
