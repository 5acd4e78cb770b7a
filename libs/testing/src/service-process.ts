import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, WriteStream } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const LOG_DIR = join(ROOT, '.infra', 'logs', 'test');

export type AppName = 'gateway' | 'contacts' | 'invites' | 'notifications' | 'files' | 'audit';

/**
 * Each app's port in the test stack: beside the dev ports, so `npm start` can keep running.
 * TEST_PORT_BASE moves them, so two checkouts can run their tests at once.
 */
const base = Number(process.env.TEST_PORT_BASE ?? 3100);
export const TEST_PORTS: Record<AppName, number> = {
  gateway: base,
  contacts: base + 1,
  invites: base + 2,
  notifications: base + 3,
  files: base + 4,
  audit: base + 5,
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The log line a service writes for a rejection nobody handled (libs/platform process-faults). */
const UNHANDLED_REJECTION = /^\{.*"msg":"unhandled rejection"/;

/**
 * What went wrong in any service of this test file that the test itself did not ask for: an
 * unhandled rejection (the service survives it, but it is a bug) or an exit nobody asked for.
 * Taken (and cleared) after each test by test/integration/setup/service-faults.ts.
 */
const faults: string[] = [];

export function takeServiceFaults(): string[] {
  return faults.splice(0, faults.length);
}

/** One built service (dist/) run as a real process, its output kept for assertions. */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  private output = '';
  private partialLine = '';
  /** Set when a test stops or kills the process, or waits for it to exit: that exit is expected. */
  private exitExpected = false;
  exitCode: number | null = null;

  constructor(
    readonly app: AppName,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  /** Everything the process printed since the stack started (all runs). */
  get logs(): string {
    return this.output;
  }

  start(extraEnv: NodeJS.ProcessEnv = {}): this {
    mkdirSync(LOG_DIR, { recursive: true });
    this.log ??= createWriteStream(join(LOG_DIR, `${this.app}.log`), { flags: 'a' });
    this.exitCode = null;
    this.exitExpected = false;
    const entry = join(ROOT, 'dist', 'apps', this.app, 'apps', this.app, 'src', 'main.js');
    // Extra node flags for this process (the bench's --cpu-prof, which NODE_OPTIONS may not carry).
    const nodeFlags = (this.env.SERVICE_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeFlags, entry], {
      env: { ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      this.output += text;
      this.log?.write(chunk);
      // Whole lines only: a chunk may end inside one.
      const lines = (this.partialLine + text).split('\n');
      this.partialLine = lines.pop() ?? '';
      for (const line of lines) {
        if (UNHANDLED_REJECTION.test(line)) faults.push(`${this.app}: ${line.slice(0, 2000)}`);
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : 0);
      if (!this.exitExpected)
        faults.push(`${this.app} exited by itself with ${this.exitCode}:\n${this.output.slice(-2000)}`);
    });
    this.child = child;
    return this;
  }

  /** Waits for /ready (every dependency reachable), failing fast if the process died. */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitCode !== null)
        throw new Error(`${this.app} exited with ${this.exitCode}:\n${this.output.slice(-3000)}`);
      try {
        const res = await fetch(`${this.url}/ready`, { signal: AbortSignal.timeout(3000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`${this.app} not ready after ${timeoutMs} ms:\n${this.output.slice(-3000)}`);
      await sleep(200);
    }
  }

  /** Resolves with the exit code once the process ends. */
  async waitExit(timeoutMs = 30_000): Promise<number> {
    this.exitExpected = true;
    const deadline = Date.now() + timeoutMs;
    while (this.exitCode === null) {
      if (Date.now() > deadline) throw new Error(`${this.app} did not exit within ${timeoutMs} ms`);
      await sleep(50);
    }
    return this.exitCode;
  }

  /** SIGKILL: a crash, with no chance to flush or finish anything. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** SIGTERM: a clean shutdown. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Sends a signal and returns at once (the exit is expected); `waitExit` then times the shutdown. */
  send(signal: NodeJS.Signals): void {
    if (!this.child || this.exitCode !== null) return;
    this.exitExpected = true;
    this.child.kill(signal);
  }

  /** The process id, for tests that measure it (RSS) or signal it themselves. */
  get pid(): number | undefined {
    return this.exitCode === null ? this.child?.pid : undefined;
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    if (!this.child || this.exitCode !== null) return;
    this.exitExpected = true;
    this.child.kill(signal);
    await this.waitExit();
  }
}
