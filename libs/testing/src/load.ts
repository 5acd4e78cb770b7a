import { MongoClient } from 'mongodb';
import { randomClientAddress } from './gateway-client';
import { seededContact } from './seeded-contact';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Contacts written straight into a stack's contacts database (1,000 per insertMany): inviting
 * hundreds through the API would take minutes. Emails are `c<i>-<label>@<domain>`.
 */
export async function seedContacts(
  mongoUrl: string,
  database: string,
  group: { firmId: string; clientId: string; count: number; label: string; domain: string },
): Promise<{ id: string; email: string }[]> {
  const mongo = await MongoClient.connect(mongoUrl);
  try {
    const contacts = mongo.db(database).collection('contacts');
    const seeded: { id: string; email: string }[] = [];
    const base = Date.now() - group.count;
    for (let i = 0; i < group.count; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, group.count - i) }, (_, k) =>
        seededContact({
          firmId: group.firmId,
          clientId: group.clientId,
          firstName: `Contact${i + k}`,
          lastName: group.label,
          email: `c${i + k}-${group.label}@${group.domain}`.toLowerCase(),
          at: new Date(base + i + k),
        }),
      );
      await contacts.insertMany(batch as never[]);
      seeded.push(...batch.map((c) => ({ id: c._id, email: c.email })));
    }
    return seeded;
  } finally {
    await mongo.close();
  }
}

/** One answer (or failure to get one) of the load, as a client saw it. */
export interface LoadOutcome {
  path: string;
  /** HTTP status, or 0 when no answer came (connection refused or reset). */
  status: number;
  /** For 5xx: whether it was the documented "try again" answer (503 problem+json with Retry-After). */
  retryable: boolean;
  error?: string;
  at: number;
}

/**
 * Readers calling read routes back to back until stopped: the traffic a rolling restart happens
 * under. That traffic comes from many people, so each call carries an address of its own
 * (X-Forwarded-For, which a stack with TRUST_PROXY_HOPS=1 believes, as the gateway behind the
 * Ingress does): the per-address rate limit sees many clients, not one address sending hundreds
 * of reads a second. Every outcome is kept for the assertions. Stop it in afterEach as well: a
 * load left running after a failed test calls the port forever (the next file's gateway gets it)
 * and jest never exits.
 */
export class ReadLoad {
  readonly outcomes: LoadOutcome[] = [];
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly paths: string[],
    private readonly concurrency = 3,
  ) {}

  start(): this {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, async (_, w) => this.worker(w));
    return this;
  }

  async stop(): Promise<LoadOutcome[]> {
    this.running = false;
    await Promise.all(this.workers);
    return this.outcomes;
  }

  /** Outcomes that are neither a success, a client error, the documented 503, nor a refused connection. */
  failures(since = 0): LoadOutcome[] {
    return this.outcomes.filter((o) => o.at >= since && o.status >= 500 && !o.retryable);
  }

  private async worker(index: number): Promise<void> {
    let i = index;
    while (this.running) {
      const path = this.paths[i++ % this.paths.length];
      const at = Date.now();
      try {
        const res = await fetch(`${this.baseUrl}${path}`, {
          headers: { authorization: `Bearer ${this.token}`, 'x-forwarded-for': randomClientAddress() },
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        const retryable =
          res.status === 503 &&
          (res.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
          res.headers.get('retry-after') !== null &&
          text.includes('"code"');
        this.outcomes.push({
          path,
          status: res.status,
          retryable,
          at,
          error: res.status >= 500 ? text.slice(0, 300) : undefined,
        });
      } catch (error) {
        // No answer at all: the gateway itself was not listening (its own restart).
        this.outcomes.push({ path, status: 0, retryable: true, at, error: String(error) });
        await sleep(100);
      }
    }
  }
}
