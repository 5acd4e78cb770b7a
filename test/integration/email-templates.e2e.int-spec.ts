import Handlebars from 'handlebars';
import {
  GatewayClient,
  GatewayTestStack,
  inviteTokenIn,
  Mailbox,
  MailMessage,
  PrivateSmtpServer,
  randomClientAddress,
  tearDown,
  testStackEnv,
  uniqueEmail,
} from '@cp/testing';

const PASSWORD = 'a long enough passphrase';
const LOGO = 'https://cdn.example.com/firms/logo.png';
const COLOR = '#0a7d5c';

/** What the preview route fills in (SAMPLE_MODEL in notifications) — replaced by placeholders. */
const SAMPLE = {
  firstName: 'Jordan',
  lastName: 'Sample',
  inviter: 'Alex Staff',
  message: 'Looking forward to working with you this season.',
  link: 'https://portal.example.com/invite/sample-link',
};

/** How the template engine escapes a variable in the HTML part. */
const escapeHtml = (s: string) => Handlebars.escapeExpression(s);

/** An email with its variable values replaced by their names, so a preview and a sent email compare. */
function normalised(
  email: { subject: string; text: string; html: string },
  values: { firstName: string; lastName: string; inviter: string; message: string; link: string },
) {
  const expires = /This invitation expires on ([^.]+)\./.exec(email.text)?.[1] ?? '(none)';
  const replace = (s: string, escape: (v: string) => string) =>
    Object.entries({ ...values, expires }).reduce(
      (out, [name, value]) => out.split(escape(value)).join(`{${name}}`),
      s.replace(/\r\n/g, '\n').trim(),
    );
  return {
    subject: replace(email.subject, (v) => v),
    text: replace(email.text, (v) => v),
    html: replace(email.html, escapeHtml),
  };
}

// Issue 6 end to end through the gateway against the real SMTP server: a firm template with
// variables used by an invite, the preview matching what arrives, escaping, branding, and the
// inviter's notice when the contact accepts.
describe('firm email templates and branding through the gateway', () => {
  // A Mailpit of this stack's own (the same server as the shared one): other checkouts' services
  // read the same shared topics and may send copies of these emails to the shared inbox.
  const smtp = PrivateSmtpServer.forTestStack();
  const env = testStackEnv({ TRUST_PROXY_HOPS: '1', SMTP_URL: smtp.smtpUrl });
  const stack = new GatewayTestStack(env);
  const mailbox = new Mailbox(smtp.apiUrl);
  let staff: GatewayClient;
  let anonymous: GatewayClient;
  let ownerEmail: string;
  let firmName: string;
  let clientId: string;

  beforeAll(async () => {
    await smtp.start();
    await stack.startBehindGateway(['contacts', 'invites', 'notifications']);
    anonymous = new GatewayClient(stack.url('gateway')).from(randomClientAddress());
    ownerEmail = uniqueEmail('owner');
    const firm = await anonymous.signUpFirm({ name: 'Grace Hopper', email: ownerEmail });
    firmName = firm.firm.name;
    staff = anonymous.withToken(firm.accessToken);
    clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'The Lovelace Household', kind: 'individual' }))
      .body.id;
  }, 300_000);

  afterAll(async () => {
    await tearDown(
      async () => stack.stopAll(),
      async () => smtp.stop(),
    );
  });

  it('sets the branding only with an https logo URL and a #rrggbb colour', async () => {
    for (const bad of [
      { logoUrl: 'http://cdn.example.com/logo.png' },
      { logoUrl: 'javascript:alert(1)' },
      { brandColor: 'red' },
      { brandColor: '#12345' },
    ]) {
      const res = await staff.patch('/v1/firm/branding', bad);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    const set = await staff.patch('/v1/firm/branding', { logoUrl: LOGO, brandColor: COLOR });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: firmName, logoUrl: LOGO, brandColor: COLOR });
    expect((await staff.get('/v1/firm')).body).toMatchObject({ logoUrl: LOGO, brandColor: COLOR });
  });

  it('sends the firm template as previewed, escapes a <script> message, and tells the inviter of the acceptance', async () => {
    const template = await staff.post<{ id: string }>('/v1/email-templates', {
      name: 'Season onboarding',
      subject: '{{firm.name}}: welcome aboard, {{contact.firstName}}',
      body: [
        'Dear {{contact.firstName}} {{contact.lastName}},',
        '',
        '{{inviter.name}} set up your secure portal at {{firm.name}}.',
        '{{#if message}}',
        '',
        'A note from {{inviter.name}}: {{message}}',
        '{{/if}}',
        '',
        'Your link: {{link}} (valid until {{expiresAt}})',
      ].join('\n'),
    });
    expect(template.status).toBe(201);
    const preview = await staff.post<{ subject: string; text: string; html: string }>(
      `/v1/email-templates/${template.body.id}/preview`,
    );
    expect(preview.status).toBe(200);
    expect(preview.body.subject).toBe(`${firmName}: welcome aboard, Jordan`);

    const email = uniqueEmail('contact');
    const contact = await staff.post<{ id: string }>(`/v1/clients/${clientId}/contacts`, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email,
    });
    const message = 'Bring your W-2 <script>alert("x")</script> & last year\'s return';
    const sent = await staff.post(`/v1/contacts/${contact.body.id}/invites`, {
      templateId: template.body.id,
      message,
    });
    expect(sent.status).toBe(201);

    const [mail]: MailMessage[] = await mailbox.waitFor(email);
    const token = inviteTokenIn(mail.Text);
    const link = `http://portal.test/invite/${token}`;
    // The message arrives escaped in the HTML part, as text in the text part.
    expect(mail.HTML).not.toContain('<script>');
    expect(mail.HTML).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; last year&#x27;s');
    expect(mail.Text).toContain(message);
    // Branding: logo and colour in the HTML part, the firm's name in both.
    expect(mail.HTML).toContain(`<img src="${LOGO}" alt="${escapeHtml(firmName)}"`);
    expect(mail.HTML).toContain(`background:${COLOR}`);
    expect(mail.Text.startsWith(firmName)).toBe(true);

    // What arrived is the preview with the real values in place of the sample ones.
    const arrived = normalised(
      { subject: mail.Subject, text: mail.Text, html: mail.HTML },
      { firstName: 'Ada', lastName: 'Lovelace', inviter: 'Grace Hopper', message, link },
    );
    const previewed = normalised(preview.body, SAMPLE);
    expect(arrived.subject).toBe(previewed.subject);
    expect(arrived.text).toBe(previewed.text);
    expect(arrived.html).toBe(previewed.html);
    expect(arrived.html).toContain('{message}');

    // The portal's invite page shows the firm's name and branding.
    const page = await anonymous.get(`/v1/portal/invites/${token}`);
    expect(page.body).toMatchObject({ valid: true, firm: { name: firmName, logoUrl: LOGO, brandColor: COLOR } });

    const accepted = await anonymous.post('/v1/portal/invites/accept', { token, password: PASSWORD });
    expect(accepted.status).toBe(201);
    const [notice] = await mailbox.waitFor(ownerEmail, 1, 90_000);
    expect(notice.Subject).toBe('Ada Lovelace accepted your portal invitation');
    expect(notice.HTML).toContain(`<img src="${LOGO}"`);
    // The outcome is recorded just after the SMTP server took the email.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const log = await staff.get<{ items: { kind: string; status: string; to: string }[] }>(
        `/v1/notifications?contactId=${contact.body.id}`,
      );
      const expected = [
        expect.objectContaining({ kind: 'invite', status: 'sent', to: email }),
        expect.objectContaining({ kind: 'accepted-notice', status: 'sent', to: ownerEmail }),
      ];
      if (log.body.items.filter((d) => d.status === 'sent').length >= 2 || Date.now() > deadline) {
        expect(log.body.items).toEqual(expect.arrayContaining(expected));
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, 180_000);
});
