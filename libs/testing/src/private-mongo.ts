import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_PORTS } from './service-process';

const INFRA = join(__dirname, '..', '..', '..', 'infra', 'infra.sh');
const ADDRESS_VARIABLES = ['KAFKA_BROKERS', 'MONGO_URL', 'S3_ENDPOINT', 'SMTP_URL'];

/**
 * The local stack's MongoDB-wire server (infra/mongo), started through infra.sh as `npm start`
 * starts it, but on a port and in a data folder of the test's own: a test can kill it without
 * touching the server every other test (and the developer) uses. Its data survives restarts.
 */
export class PrivateMongoServer {
  readonly dir = mkdtempSync(join(tmpdir(), 'cp-mongo-'));

  constructor(
    readonly port: number,
    /** infra.sh's INFRA_MONGO_DURABILITY: none, commit (the default) or fsync. */
    private readonly durability?: 'none' | 'commit' | 'fsync',
  ) {}

  /** One per test stack, on a port beside its services. */
  static forTestStack(): PrivateMongoServer {
    return new PrivateMongoServer(TEST_PORTS.gateway + 42);
  }

  get url(): string {
    return `mongodb://127.0.0.1:${this.port}`;
  }

  /** Starts it (installing it first if needed) and waits until it accepts connections. */
  start(): void {
    this.infra('up');
  }

  /** Stops it as `npm run infra:down` would: the data file is closed cleanly. */
  stop(): void {
    this.infra('down');
  }

  /** Kills it with SIGKILL (no shutdown hook runs, nothing is flushed) and waits until it is gone. */
  kill(): void {
    const pid = Number(readFileSync(join(this.dir, 'run', 'mongo.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (alive(pid)) {
      if (Date.now() > deadline) throw new Error(`the MongoDB-wire server ${pid} did not die`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }

  /** Stops it and removes its data. */
  remove(): void {
    this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private infra(command: 'up' | 'down'): void {
    // Without the address variables, infra.sh runs its own server instead of using the one named.
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ADDRESS_VARIABLES.includes(name)));
    execFileSync('bash', [INFRA, command, 'mongo'], {
      stdio: 'pipe',
      timeout: 180_000,
      env: {
        ...env,
        INFRA_DIR: this.dir,
        INFRA_MONGO_PORT: String(this.port),
        ...(this.durability ? { INFRA_MONGO_DURABILITY: this.durability } : {}),
      },
    });
  }
}

/** Running, and not a zombie (a killed orphan stays one where PID 1 does not reap). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
