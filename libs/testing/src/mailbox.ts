/** The SMTP server's inbox as tests read it (Mailpit's HTTP API). */
export interface MailSummary {
  ID: string;
  /** The Message-ID header, without angle brackets. */
  MessageID: string;
  Subject: string;
  To: { Address: string }[];
}

export interface MailMessage {
  ID: string;
  MessageID: string;
  Subject: string;
  HTML: string;
  Text: string;
  To: { Address: string }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class Mailbox {
  constructor(private readonly api = process.env.MAILPIT_URL ?? 'http://127.0.0.1:8025') {}

  /** Every message addressed to `address` (exact match). */
  async to(address: string): Promise<MailSummary[]> {
    const res = await fetch(`${this.api}/api/v1/search?query=${encodeURIComponent(`to:"${address}"`)}&limit=500`);
    if (!res.ok) throw new Error(`mailbox search failed: ${res.status}`);
    const body = (await res.json()) as { messages: MailSummary[] };
    return body.messages.filter((m) => m.To.some((t) => t.Address.toLowerCase() === address.toLowerCase()));
  }

  /** Every message matching a Mailpit search (e.g. `to:"@run-1.example"`), all pages. */
  async search(query: string): Promise<MailSummary[]> {
    const found: MailSummary[] = [];
    for (;;) {
      const url = `${this.api}/api/v1/search?query=${encodeURIComponent(query)}&start=${found.length}&limit=1000`;
      const res = await fetch(url);
      if (!res.ok) throw new Error(`mailbox search failed: ${res.status}`);
      const page = ((await res.json()) as { messages: MailSummary[] }).messages;
      found.push(...page);
      if (page.length < 1000) return found;
    }
  }

  async read(id: string): Promise<MailMessage> {
    const res = await fetch(`${this.api}/api/v1/message/${id}`);
    if (!res.ok) throw new Error(`mailbox read failed: ${res.status}`);
    return (await res.json()) as MailMessage;
  }

  async headers(id: string): Promise<Record<string, string[]>> {
    const res = await fetch(`${this.api}/api/v1/message/${id}/headers`);
    return (await res.json()) as Record<string, string[]>;
  }

  /** Waits until `count` messages to `address` arrived, then returns them read. */
  async waitFor(address: string, count = 1, timeoutMs = 60_000): Promise<MailMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.to(address);
      if (found.length >= count) return Promise.all(found.map((m) => this.read(m.ID)));
      if (Date.now() > deadline) throw new Error(`expected ${count} emails to ${address}, got ${found.length}`);
      await sleep(200);
    }
  }
}

/** The invite link in an email body: `{PORTAL_URL}/invite/{token}`. */
export function inviteTokenIn(text: string): string {
  const match = /\/invite\/([A-Za-z0-9_.-]+)/.exec(text);
  if (!match) throw new Error('no invite link in the email');
  return match[1];
}
