import { DeliveryView, InviteEmailRequestedData, OutboxEvent, Page, Topic } from '@cp/contracts';
import { internal } from './http';
import { Mailbox } from './mailbox';
import { PrivateSmtpServer } from './private-smtp';
import { TestStack, testStackEnv } from './stack';
import { inviteEmailRequest, TestPublisher } from './test-publisher';

/**
 * The notifications service alone, sending to a Mailpit of its own (other checkouts' services
 * read the same shared topics and would send copies to the shared one), with a publisher to feed
 * it events as the invites and files services would.
 */
export class NotificationsTestStack {
  readonly env: NodeJS.ProcessEnv;
  readonly stack: TestStack;
  readonly publisher = new TestPublisher();
  readonly mailbox: Mailbox;

  /** Like every test stack, it has a database and consumer group of its own (see testStackEnv). */
  constructor(readonly smtp: PrivateSmtpServer = PrivateSmtpServer.forTestStack()) {
    this.env = testStackEnv();
    this.stack = new TestStack(this.env);
    this.mailbox = new Mailbox(smtp.apiUrl);
  }

  get url(): string {
    return this.stack.url('notifications');
  }

  async start(): Promise<this> {
    await this.smtp.start();
    await this.stack.start(['notifications'], { SMTP_URL: this.smtp.smtpUrl });
    await this.publisher.connect();
    return this;
  }

  async stop(): Promise<void> {
    await this.publisher.disconnect();
    await this.stack.stopAll();
    await this.smtp.stop();
  }

  /** Starts the service again (after stop or kill), e.g. with a shifted clock. */
  async restart(extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
    const service = this.stack.get('notifications');
    await service.stop();
    service.start({ SMTP_URL: this.smtp.smtpUrl, ...extraEnv });
    await service.waitReady();
  }

  /** An invite email command sealed with this stack's link key. */
  emailRequest(
    firmId: string,
    data: Partial<InviteEmailRequestedData> & { to: string },
  ): OutboxEvent<Topic.InviteEmailRequested> {
    return inviteEmailRequest(firmId, this.env.INVITE_LINK_KEY as string, data);
  }

  /** The firm's whole delivery log (every page), filtered by a query string such as `inviteId=…`. */
  async deliveries(firmId: string, query = ''): Promise<DeliveryView[]> {
    const items: DeliveryView[] = [];
    let cursor: string | null = null;
    do {
      const page: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await internal<Page<DeliveryView>>(
        'GET',
        `${this.url}/firms/${firmId}/notifications?limit=200&${query}${page}`,
      );
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }
}
