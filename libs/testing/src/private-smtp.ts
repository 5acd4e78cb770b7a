import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_PORTS } from './service-process';

const MAILPIT = join(
  process.env.CLIENT_PORTAL_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'client-portal'),
  'mailpit-v1.27.11',
  'mailpit',
);

/**
 * A Mailpit of a test's own (the binary `npm run infra:up` installed), so a test can stop it or
 * have it refuse some recipients without disturbing anything else. Its data survives restarts.
 */
export class PrivateSmtpServer {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'cp-smtp-'));

  constructor(
    readonly smtpPort: number,
    readonly httpPort: number,
    /** Recipients not matching this regular expression are refused with 550. */
    private readonly allowedRecipients?: string,
  ) {}

  /**
   * One per test stack (ports beside its services): a test that counts emails gets only those of
   * its own stack, not copies sent by other checkouts' services reading the same shared topics.
   */
  static forTestStack(allowedRecipients?: string): PrivateSmtpServer {
    return new PrivateSmtpServer(TEST_PORTS.gateway + 40, TEST_PORTS.gateway + 41, allowedRecipients);
  }

  get smtpUrl(): string {
    return `smtp://127.0.0.1:${this.smtpPort}`;
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  async start(): Promise<void> {
    // A server left on the port (by a test run that died) would answer in place of ours.
    if (await this.answers())
      throw new Error(`port ${this.httpPort} already answers: a private SMTP server was left running`);
    const args = [
      '--smtp',
      `127.0.0.1:${this.smtpPort}`,
      '--listen',
      `127.0.0.1:${this.httpPort}`,
      '--database',
      join(this.dir, 'mail.db'),
      '--disable-version-check',
      // Keep every message: Mailpit otherwise drops all but the newest 500, and tests count them.
      '--max',
      '0',
    ];
    if (this.allowedRecipients) args.push('--smtp-allowed-recipients', this.allowedRecipients);
    this.child = spawn(MAILPIT, args, { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`private SMTP server exited with ${this.child.exitCode}`);
      if (await this.answers()) return;
      if (Date.now() > deadline) throw new Error('private SMTP server did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async answers(): Promise<boolean> {
    try {
      return (await fetch(`${this.apiUrl}/readyz`)).ok;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }
}
