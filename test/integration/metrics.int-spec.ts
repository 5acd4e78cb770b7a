import {
  GatewayClient,
  GeneratedFile,
  inviteTokenIn,
  Mailbox,
  PrivateSmtpServer,
  randomClientAddress,
  tearDown,
  TEST_INTERNAL_TOKEN,
  TestStack,
  testStackEnv,
  uniqueEmail,
  uploadMultipart,
  type AppName,
} from '@cp/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One sample of the Prometheus text format: `name{label="value",...} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
      if (!match) throw new Error(`not a Prometheus sample: ${line}`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

const ALL: AppName[] = ['contacts', 'invites', 'notifications', 'files', 'gateway'];
const DATA_SERVICES: AppName[] = ['contacts', 'invites', 'notifications', 'files'];

// GET /metrics on every service after real traffic (an invite through to its email, an upload):
// Prometheus text, the series the dashboard and alerts use, and no secret or id in any label.
describe('GET /metrics', () => {
  const smtp = PrivateSmtpServer.forTestStack();
  const mailbox = new Mailbox(smtp.apiUrl);
  const stack = new TestStack(testStackEnv({ SMTP_URL: smtp.smtpUrl }));
  const secrets: string[] = [];
  const ids: string[] = [];
  const scraped = new Map<AppName, { contentType: string | null; text: string; samples: Sample[] }>();
  const fileSize = 300 * 1024;

  async function scrape(app: AppName): Promise<Sample[]> {
    const res = await fetch(`${stack.url(app)}/metrics`); // no internal token: Prometheus has none
    expect(res.status).toBe(200);
    const text = await res.text();
    const samples = parseMetrics(text);
    scraped.set(app, { contentType: res.headers.get('content-type'), text, samples });
    return samples;
  }

  const find = (app: AppName, name: string, labels: Record<string, string> = {}) =>
    (scraped.get(app)?.samples ?? []).filter(
      (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    );

  beforeAll(async () => {
    await smtp.start();
    // The gateway is ready only when every service behind it is, the audit service included.
    await stack.start([...DATA_SERVICES, 'audit', 'gateway']);
    const anonymous = new GatewayClient(stack.url('gateway')).from(randomClientAddress());
    const firm = await anonymous.signUpFirm();
    const staff = anonymous.withToken(firm.accessToken);
    const client = await staff.post<{ id: string }>('/v1/clients', { name: 'Metrics Ltd', kind: 'business' });
    const email = uniqueEmail('metrics');
    const contact = await staff.post<{ id: string }>(`/v1/clients/${client.body.id}/contacts`, {
      firstName: 'Mia',
      lastName: 'Metric',
      email,
    });
    expect((await staff.post(`/v1/contacts/${contact.body.id}/invites`, {})).status).toBe(201);
    const [mail] = await mailbox.waitFor(email, 1, 120_000);
    const file = new GeneratedFile(fileSize);
    const uploaded = await uploadMultipart<{ id: string }>(
      `${stack.url('gateway')}/v1/clients/${client.body.id}/files`,
      {
        token: staff.token,
        file: { name: 'report.pdf', size: file.size, bytes: file.stream() },
      },
    );
    expect(uploaded.status).toBe(201);
    // What must never be a label value: credentials, addresses and the ids in the URLs called.
    secrets.push(
      firm.accessToken,
      firm.refreshToken,
      inviteTokenIn(mail.Text),
      TEST_INTERNAL_TOKEN,
      email,
      firm.user.email,
    );
    ids.push(firm.firm.id, client.body.id, contact.body.id, uploaded.body.id);
    // The invite's email outcome reaches contacts and invites; the relays drain their outboxes.
    await sleep(2000);
    for (const app of ALL) await scrape(app);
  }, 300_000);

  afterAll(() =>
    tearDown(
      () => stack.stopAll(),
      () => smtp.stop(),
    ),
  );

  it.each(ALL)('%s answers Prometheus text without the internal token, with process metrics', (app) => {
    expect(scraped.get(app)?.contentType).toMatch(/^text\/plain;.*version=0\.0\.4/);
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(find(app, name).length).toBeGreaterThan(0);
    }
  });

  it.each(ALL)('%s times HTTP requests by route template and status', (app) => {
    const series = find(app, 'cp_http_request_duration_seconds_count');
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) {
      expect(s.labels.route === 'unmatched' || s.labels.route.startsWith('/')).toBe(true);
      expect(s.labels.status).toMatch(/^\d{3}$/);
    }
  });

  it('shows the gateway routes as templates, the invite and the upload among them', () => {
    expect(
      find('gateway', 'cp_http_request_duration_seconds_count', {
        route: '/v1/contacts/:contactId/invites',
        status: '201',
      })[0]?.value,
    ).toBe(1);
    expect(
      find('gateway', 'cp_http_request_duration_seconds_count', {
        route: '/v1/clients/:clientId/files',
        status: '201',
      })[0]?.value,
    ).toBe(1);
  });

  it('serves the gateway metrics outside /v1, where the Ingress routes the public API', async () => {
    expect((await fetch(`${stack.url('gateway')}/v1/metrics`)).status).toBe(404);
  });

  it.each(DATA_SERVICES)('%s reports its outbox backlog per collection', (app) => {
    const pending = find(app, 'cp_outbox_pending_events');
    expect(pending.length).toBeGreaterThan(0);
    expect(
      find(app, 'cp_outbox_oldest_event_age_seconds')
        .map((s) => s.labels.collection)
        .sort(),
    ).toEqual(pending.map((s) => s.labels.collection).sort());
    expect(find(app, 'cp_job_passes_total', { task: 'OutboxRelay', outcome: 'ok' })[0]?.value).toBeGreaterThan(0);
  });

  it('counts the events the relays published', () => {
    expect(
      find('invites', 'cp_outbox_published_events_total', { topic: 'invite.sent' })[0]?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(find('files', 'cp_outbox_published_events_total', { topic: 'file.uploaded' })[0]?.value).toBe(1);
  });

  it.each(['contacts', 'invites', 'notifications'] as AppName[])(
    '%s reports consumer lag, handling time and dead letters per topic it reads',
    (app) => {
      const lag = find(app, 'cp_kafka_consumer_lag_messages');
      expect(lag.length).toBeGreaterThan(0);
      for (const s of lag) expect(s.value).toBeGreaterThanOrEqual(0);
      expect(
        find(app, 'cp_dead_letter_messages_total')
          .map((s) => s.labels.topic)
          .sort(),
      ).toEqual(lag.map((s) => s.labels.topic).sort());
    },
  );

  it('times the handling of the email command and counts it', () => {
    const topic = 'internal.invite-email-requested';
    expect(
      find('notifications', 'cp_kafka_handling_duration_seconds_count', { topic })[0]?.value,
    ).toBeGreaterThanOrEqual(1);
    expect(find('notifications', 'cp_kafka_messages_consumed_total', { topic })[0]?.value).toBeGreaterThanOrEqual(1);
  });

  // Other checkouts' test stacks on the same Kafka send their invite commands to this stack's
  // notifications service too (README, "Known limits"): counts are at least ours.
  it('counts the email sent, and reports the delivery queue', () => {
    expect(find('notifications', 'cp_emails_sent_total', { kind: 'invite' })[0]?.value).toBeGreaterThanOrEqual(1);
    for (const name of ['cp_emails_failed_total', 'cp_emails_retried_total']) {
      expect(find('notifications', name, { kind: 'invite' })).toHaveLength(1);
    }
    expect(find('notifications', 'cp_email_send_duration_seconds_count')[0]?.value).toBeGreaterThanOrEqual(1);
    for (const name of ['cp_email_queue_depth', 'cp_email_queue_oldest_age_seconds']) {
      expect(find('notifications', name)[0]?.value).toBeGreaterThanOrEqual(0);
    }
  });

  it('counts the upload bytes and times it', () => {
    expect(find('files', 'cp_upload_bytes_total', { outcome: 'stored' })[0]?.value).toBe(fileSize);
    expect(find('files', 'cp_upload_duration_seconds_count', { outcome: 'stored' })[0]?.value).toBe(1);
    expect(find('files', 'cp_upload_size_bytes_count')[0]?.value).toBe(1);
  });

  it.each([
    ['invites', 'ExpireInvites', 'expired'],
    ['notifications', 'SendReminders', 'queued'],
    ['files', 'SweepUploads', 'removed'],
  ] as [AppName, string, string][])('%s reports the results of its sweep %s', (app, task, result) => {
    expect(find(app, 'cp_job_items_total', { task, result }).length).toBe(1);
    expect(find(app, 'cp_job_passes_total', { task, outcome: 'ok' })[0]?.value).toBeGreaterThanOrEqual(1);
    expect(find(app, 'cp_job_last_success_timestamp_seconds', { task })[0]?.value).toBeGreaterThan(
      Date.now() / 1000 - 3600,
    );
  });

  it.each(ALL)('%s reports readiness after a /ready', async (app) => {
    expect((await fetch(`${stack.url(app)}/ready`)).status).toBe(200);
    const samples = await scrape(app);
    expect(samples.find((s) => s.name === 'cp_ready')?.value).toBe(1);
    expect(samples.filter((s) => s.name === 'cp_readiness_check_up').every((s) => s.value === 1)).toBe(true);
  });

  it('puts no secret, address or id in any label of any service', () => {
    const values = [...scraped.values()].flatMap(({ samples }) => samples.flatMap((s) => Object.values(s.labels)));
    expect(values.length).toBeGreaterThan(100);
    for (const secret of [...secrets, ...ids]) {
      expect(values.filter((value) => value.includes(secret))).toEqual([]);
      for (const { text } of scraped.values()) expect(text.includes(secret)).toBe(false);
    }
    expect(values.filter((value) => /@|bearer|[0-9a-f]{8}-[0-9a-f]{4}-/i.test(value))).toEqual([]);
  });
});
