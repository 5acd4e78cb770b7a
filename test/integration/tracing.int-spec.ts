import {
  GatewayClient,
  inviteTokenIn,
  Mailbox,
  PrivateSmtpServer,
  randomClientAddress,
  tearDown,
  TEST_PORTS,
  TestStack,
  testStackEnv,
  uniqueEmail,
} from '@cp/testing';
import { createServer, IncomingMessage, Server } from 'node:http';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  attributes: Record<string, unknown>;
}

type OtlpAttribute = { key: string; value: Record<string, unknown> };
interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: {
      spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; attributes?: OtlpAttribute[] }[];
    }[];
  }[];
}

/** OTLP/JSON ids are hex; accept base64 too (the protobuf-JSON mapping). */
const hex = (id: string | undefined) =>
  !id ? '' : /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');

const attributes = (list: OtlpAttribute[] = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, Object.values(value)[0]]));

/** A tiny OTLP/HTTP trace receiver (JSON): what a collector would get from the services. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server?: Server;

  constructor(readonly port: number) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.url === '/v1/traces' && String(req.headers['content-type']).startsWith('application/json')) {
          this.collect(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpTraces);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } else {
          res.writeHead(415).end();
        }
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private collect(body: OtlpTraces): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = String(attributes(resourceSpans.resource?.attributes)['service.name']);
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          this.spans.push({
            service,
            traceId: hex(span.traceId),
            spanId: hex(span.spanId),
            parentSpanId: hex(span.parentSpanId),
            name: span.name,
            attributes: attributes(span.attributes),
          });
        }
      }
    }
  }
}

// TRACING_ENABLED: one trace from the gateway's request through the invites service, its outbox,
// Kafka (traceparent headers) and the notifications service's handler to the SMTP send.
describe('OpenTelemetry traces', () => {
  const receiver = new OtlpReceiver(TEST_PORTS.gateway + 45);
  const smtp = PrivateSmtpServer.forTestStack();
  const mailbox = new Mailbox(smtp.apiUrl);
  const stack = new TestStack(
    testStackEnv({
      SMTP_URL: smtp.smtpUrl,
      TRACING_ENABLED: 'true',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_BSP_SCHEDULE_DELAY: '200',
    }),
  );

  beforeAll(async () => {
    await receiver.start();
    await smtp.start();
    await stack.start(['contacts', 'invites', 'notifications', 'files', 'audit', 'gateway']);
  }, 180_000);

  afterAll(() =>
    tearDown(
      () => stack.stopAll(),
      () => smtp.stop(),
      () => receiver.stop(),
    ),
  );

  it('follows an invite from the gateway request to the email send in one trace', async () => {
    const anonymous = new GatewayClient(stack.url('gateway')).from(randomClientAddress());
    const firm = await anonymous.signUpFirm();
    const staff = anonymous.withToken(firm.accessToken);
    const client = await staff.post<{ id: string }>('/v1/clients', { name: 'Traced Ltd', kind: 'business' });
    const email = uniqueEmail('traced');
    const contact = await staff.post<{ id: string }>(`/v1/clients/${client.body.id}/contacts`, {
      firstName: 'Tracy',
      lastName: 'Trace',
      email,
    });
    expect((await staff.post(`/v1/contacts/${contact.body.id}/invites`, {})).status).toBe(201);
    const [mail] = await mailbox.waitFor(email, 1, 120_000);

    const route = 'POST /v1/contacts/:contactId/invites';
    const deadline = Date.now() + 30_000;
    let request: ReceivedSpan | undefined;
    let send: ReceivedSpan | undefined;
    for (;;) {
      request = receiver.spans.find((s) => s.service === 'gateway' && s.name === route);
      send = receiver.spans.find(
        (s) => s.service === 'notifications' && s.name === 'email send' && s.traceId === request?.traceId,
      );
      if (send || Date.now() > deadline) break;
      await sleep(250);
    }
    expect(receiver.spans.map((s) => `${s.service} ${s.name}`)).toContain(`gateway ${route}`);
    expect(request).toBeDefined();
    expect(send).toMatchObject({ traceId: request?.traceId, attributes: { 'email.kind': 'invite' } });

    // The hops in between, all in the same trace: the invites service's request, the publish from
    // its outbox, the notifications handler; and the send's parent is that handler.
    const trace = receiver.spans.filter((s) => s.traceId === request?.traceId);
    const named = (service: string, name: string) => trace.find((s) => s.service === service && s.name === name);
    expect(named('invites', 'POST /firms/:firmId/invites')).toBeDefined();
    const publish = named('invites', 'publish internal.invite-email-requested');
    const handle = named('notifications', 'process internal.invite-email-requested');
    expect(publish).toBeDefined();
    expect(handle?.parentSpanId).toBe(publish?.spanId);
    expect(send?.parentSpanId).toBe(handle?.spanId);

    // Spans name routes by template and carry no credential, token or address.
    const secrets = [firm.accessToken, firm.refreshToken, inviteTokenIn(mail.Text), email];
    const values = receiver.spans.flatMap((s) => [s.name, ...Object.values(s.attributes).map(String)]);
    for (const secret of secrets) expect(values.filter((v) => v.includes(secret))).toEqual([]);
  }, 240_000);
});
