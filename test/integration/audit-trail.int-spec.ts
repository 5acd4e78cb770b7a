import { AuditRecordView, createEvent, EventActor, OutboxEvent, Topic } from '@cp/contracts';
import {
  downloadHashed,
  GatewayClient,
  GatewayTestStack,
  GeneratedFile,
  HttpResult,
  KafkaTap,
  onboardContact,
  PortalContact,
  randomClientAddress,
  STAFF_PASSWORD,
  TestPublisher,
  testStackEnv,
  uniqueEmail,
  uploadMultipart,
} from '@cp/testing';
import { randomUUID } from 'node:crypto';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const USER_AGENT = 'AuditTest/1.0 (+https://example.com)';

type AuditPage = { items: AuditRecordView[]; nextCursor: string | null };

interface Expected {
  action: string;
  actor: { id: string | null; kind: string };
  objects: Partial<Record<'clientId' | 'fileId' | 'inviteId' | 'requestId' | 'templateId' | 'userId', string>> & {
    contactIds?: string[];
  };
  /** The address the request came from, for actions made over HTTP through the gateway. */
  ip?: string;
  /** How many records fit (the same action on the same object twice); 1 unless said. */
  count?: number;
}

/**
 * Issue 14, audit trail: each security-relevant action, made for real through the gateway (or,
 * for the account events whose publishers are built on other branches, published as those
 * services publish them), leaves exactly one record with its actor and objects.
 */
describe('audit trail', () => {
  const env = testStackEnv({ TRUST_PROXY_HOPS: '1' });
  const stack = new GatewayTestStack(env);
  const tap = new KafkaTap();
  const publisher = new TestPublisher();
  const address = randomClientAddress();
  let gateway: string;
  let anonymous: GatewayClient;
  let owner: GatewayClient;
  let ownerId: string;
  let firmId: string;
  let clientId: string;
  let contact: PortalContact;
  const expected: Expected[] = [];

  async function trail(client: GatewayClient, query = ''): Promise<AuditRecordView[]> {
    const items: AuditRecordView[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResult<AuditPage> = await client.get<AuditPage>(
        `/v1/audit?limit=200${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      if (res.status !== 200) throw new Error(`GET /v1/audit: ${res.status} ${JSON.stringify(res.body)}`);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    return items;
  }

  /** Waits until every expected record is there (events arrive asynchronously, topic by topic). */
  async function settled(count: number, timeoutMs = 60_000): Promise<AuditRecordView[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const records = await trail(owner);
      if (records.length >= count || Date.now() > deadline) return records;
      await sleep(300);
    }
  }

  const upload = (path: string, token: string | undefined, name: string, fields: Record<string, string> = {}) =>
    uploadMultipart<{ id: string }>(`${gateway}${path}`, {
      token,
      fields,
      headers: { 'x-forwarded-for': address, 'user-agent': USER_AGENT },
      file: { name, size: 2048, bytes: new GeneratedFile(2048).stream(), contentType: 'text/plain' },
    });

  const accountEvent = <T extends Topic>(topic: T, key: string, data: OutboxEvent<T>['envelope']['data']) =>
    createEvent({ topic, firmId, correlationId: `it-${randomUUID()}`, key, data });

  beforeAll(async () => {
    await tap.start([Topic.InviteEmailRequested]);
    await publisher.connect();
    await stack.startBehindGateway(['contacts', 'invites', 'files', 'audit']);
    gateway = stack.url('gateway');
    anonymous = new GatewayClient(gateway, undefined, { 'x-forwarded-for': address, 'user-agent': USER_AGENT });
    const firm = await anonymous.signUpFirm();
    firmId = firm.firm.id;
    ownerId = firm.user.id;
    owner = anonymous.withToken(firm.accessToken);
    clientId = (await owner.post<{ id: string }>('/v1/clients', { name: 'The Babbage Household', kind: 'individual' }))
      .body.id;
    contact = await onboardContact(owner, anonymous, { tap, linkKey: env.INVITE_LINK_KEY ?? '' }, clientId, 'Ada');
  }, 300_000);

  afterAll(async () => {
    await publisher.disconnect();
    await tap.stop();
    await stack.stopAll();
  });

  it('records every action once, with who, what, which object and from where', async () => {
    const staffActor = { id: ownerId, kind: 'staff' };
    const contactActor = { id: contact.contactId, kind: 'contact' };
    // The owner's own account at sign-up, then the onboarding above: invite sent, accepted.
    expected.push({ action: 'staff.added', actor: { id: null, kind: 'anonymous' }, objects: { userId: ownerId } });
    const invites = await owner.get<{ items: { id: string; contactId: string }[] }>(
      `/v1/invites?contactId=${contact.contactId}`,
    );
    const inviteId = invites.body.items[0].id;
    expected.push(
      { action: 'invite.sent', actor: staffActor, objects: { inviteId, clientId, contactIds: [contact.contactId] } },
      {
        action: 'invite.accepted',
        actor: contactActor,
        objects: { inviteId, clientId, contactIds: [contact.contactId] },
      },
    );

    // Staff: added, then removed (the removed account cannot sign in).
    const colleagueEmail = uniqueEmail('colleague');
    const colleague = await owner.post<{ id: string }>('/v1/users', {
      name: 'Charles Babbage',
      email: colleagueEmail,
      password: STAFF_PASSWORD,
      role: 'staff',
    });
    expect(colleague.status).toBe(201);
    expected.push({ action: 'staff.added', actor: staffActor, objects: { userId: colleague.body.id }, ip: address });

    // A second contact: invited, link sent again, revoked.
    const other = await owner.post<{ id: string }>(`/v1/clients/${clientId}/contacts`, {
      firstName: 'Bea',
      lastName: 'Lovelace',
      email: uniqueEmail('bea'),
    });
    const sent = await owner.post<{ id: string }>(`/v1/contacts/${other.body.id}/invites`, {});
    expect(sent.status).toBe(201);
    expect((await owner.post(`/v1/invites/${sent.body.id}/resend`)).status).toBe(200);
    expect((await owner.post(`/v1/invites/${sent.body.id}/revoke`)).status).toBe(200);
    const bea = { inviteId: sent.body.id, contactIds: [other.body.id] };
    expected.push(
      { action: 'invite.sent', actor: staffActor, objects: { ...bea, clientId }, ip: address },
      { action: 'invite.resent', actor: staffActor, objects: { ...bea, clientId }, ip: address },
      { action: 'invite.revoked', actor: staffActor, objects: bea, ip: address },
    );

    // Files: uploaded and shared at once, unshared, shared again, downloaded by staff and contact, deleted.
    const file = await upload(`/v1/clients/${clientId}/files`, owner.token, 'w2.txt', {
      sharedWith: JSON.stringify([contact.contactId]),
    });
    expect(file.status).toBe(201);
    const fileId = file.body.id;
    const onFile = { fileId, clientId };
    expected.push(
      { action: 'file.uploaded', actor: staffActor, objects: onFile, ip: address },
      { action: 'file.shared', actor: staffActor, objects: { ...onFile, contactIds: [contact.contactId] } },
    );
    expect((await owner.patch(`/v1/files/${fileId}`, { sharedWith: [] })).status).toBe(200);
    expected.push({
      action: 'file.unshared',
      actor: staffActor,
      objects: { ...onFile, contactIds: [contact.contactId] },
    });
    expect((await owner.patch(`/v1/files/${fileId}`, { sharedWith: [contact.contactId] })).status).toBe(200);
    // Shared at upload and shared again: two records that read alike.
    expected[expected.length - 2].count = 2;
    expected.push({ ...expected[expected.length - 2], count: 0 });
    expect((await downloadHashed(`${gateway}/v1/files/${fileId}/download`, owner.token)).status).toBe(200);
    expect((await downloadHashed(`${gateway}/v1/portal/files/${fileId}/download`, contact.portal.token)).status).toBe(
      200,
    );
    expected.push(
      { action: 'file.downloaded', actor: staffActor, objects: onFile },
      { action: 'file.downloaded', actor: contactActor, objects: { ...onFile, contactIds: [contact.contactId] } },
    );

    // A document request, fulfilled by the contact's upload.
    const request = await owner.post<{ id: string }>(`/v1/clients/${clientId}/requests`, {
      title: '2025 W-2',
      contactIds: [contact.contactId],
    });
    expect(request.status).toBe(201);
    const fulfilled = await upload('/v1/portal/files', contact.portal.token, 'my-w2.txt', {
      requestId: request.body.id,
    });
    expect(fulfilled.status).toBe(201);
    expected.push(
      {
        action: 'request.created',
        actor: staffActor,
        objects: { requestId: request.body.id, clientId, contactIds: [contact.contactId] },
        ip: address,
      },
      { action: 'file.uploaded', actor: contactActor, objects: { fileId: fulfilled.body.id, clientId }, ip: address },
      {
        action: 'request.fulfilled',
        actor: contactActor,
        objects: { requestId: request.body.id, fileId: fulfilled.body.id, clientId },
      },
    );

    expect((await owner.delete(`/v1/files/${fileId}`)).status).toBe(204);
    expected.push({ action: 'file.deleted', actor: staffActor, objects: onFile, ip: address });

    // Settings.
    expect((await owner.put('/v1/settings/files', { maxUploadBytes: 10 * 1024 * 1024 })).status).toBe(200);
    expected.push({ action: 'settings.changed', actor: staffActor, objects: {}, ip: address });

    expect((await owner.delete(`/v1/users/${colleague.body.id}`)).status).toBe(204);
    expected.push({ action: 'staff.removed', actor: staffActor, objects: { userId: colleague.body.id }, ip: address });
    expect((await anonymous.post('/v1/auth/login', { email: colleagueEmail, password: STAFF_PASSWORD })).status).toBe(
      401,
    );

    // Account events, whose publishers (sign-in, password, two-step, new link, templates) are
    // built on other branches: published here as those services publish them.
    const from = { ip: '198.51.100.7', userAgent: 'Firefox/140' };
    const templateId = randomUUID();
    await publisher.publish([
      accountEvent(Topic.SignInSucceeded, ownerId, {
        accountId: ownerId,
        accountKind: 'staff',
        ...from,
        secondStep: 'totp',
      }),
      accountEvent(Topic.SignInFailed, contact.contactId, {
        accountId: contact.contactId,
        accountKind: 'contact',
        ...from,
        stage: 'password',
        reason: 'bad-credentials',
      }),
      accountEvent(Topic.PasswordChanged, contact.contactId, {
        accountId: contact.contactId,
        accountKind: 'contact',
        ...from,
        via: 'reset',
      }),
      accountEvent(Topic.TwoStepChanged, ownerId, {
        accountId: ownerId,
        accountKind: 'staff',
        ...from,
        change: 'enrolled',
        by: ownerId,
      }),
      accountEvent(Topic.NewLinkRequested, other.body.id, {
        inviteId: sent.body.id,
        contactId: other.body.id,
        inviteState: 'revoked',
      }),
      {
        ...accountEvent(Topic.EmailTemplateChanged, templateId, { templateId, name: 'Welcome', change: 'created' }),
      },
    ]);
    expected.push(
      { action: 'sign-in.succeeded', actor: staffActor, objects: { userId: ownerId }, ip: from.ip },
      { action: 'sign-in.failed', actor: contactActor, objects: { contactIds: [contact.contactId] }, ip: from.ip },
      { action: 'password.reset', actor: contactActor, objects: { contactIds: [contact.contactId] }, ip: from.ip },
      { action: 'two-step.enrolled', actor: staffActor, objects: { userId: ownerId }, ip: from.ip },
      {
        action: 'invite.new-link-requested',
        actor: { id: other.body.id, kind: 'contact' },
        objects: { inviteId: sent.body.id, contactIds: [other.body.id] },
      },
      { action: 'email-template.created', actor: { id: null, kind: 'system' }, objects: { templateId } },
    );

    const records = await settled(expected.length);
    const problems: string[] = [];
    for (const want of expected) {
      const matching = records.filter(
        (r) =>
          r.action === want.action &&
          r.actor.id === want.actor.id &&
          r.actor.kind === want.actor.kind &&
          Object.entries(want.objects).every(([field, value]) =>
            Array.isArray(value)
              ? value.every((v) => (r.objects.contactIds ?? []).includes(v))
              : r.objects[field as keyof AuditRecordView['objects']] === value,
          ) &&
          (want.ip === undefined || r.ip === want.ip),
      );
      if (want.count !== 0 && matching.length !== (want.count ?? 1)) {
        problems.push(`${JSON.stringify(want)}: ${matching.length} records`);
      }
    }
    expect(problems).toEqual([]);
    expect(records).toHaveLength(expected.length);
    // Actions made over HTTP carry the browser's user agent; the owner's name is known from StaffAdded.
    const removal = records.find((r) => r.action === 'staff.removed');
    expect(removal).toMatchObject({ userAgent: USER_AGENT, actor: { name: 'Ada Lovelace' } });
    // Newest first.
    const times = records.map((r) => r.at);
    expect([...times].sort().reverse()).toEqual(times);
  }, 240_000);

  it('filters by actor, contact, client, file, action and time, with cursor paging', async () => {
    const all = await trail(owner);
    expect(all.length).toBeGreaterThan(10);
    const byAction = await trail(owner, '&action=file.downloaded');
    expect(byAction.map((r) => r.action)).toEqual(['file.downloaded', 'file.downloaded']);
    const byContact = await trail(owner, `&contactId=${contact.contactId}`);
    expect(byContact.length).toBeGreaterThan(0);
    expect(
      byContact.every((r) => r.actor.id === contact.contactId || r.objects.contactIds?.includes(contact.contactId)),
    ).toBe(true);
    const byActor = await trail(owner, `&actor=${contact.contactId}`);
    expect(byActor.every((r) => r.actor.id === contact.contactId)).toBe(true);
    const fileId = all.find((r) => r.action === 'file.deleted')?.objects.fileId ?? '';
    const byFile = await trail(owner, `&fileId=${fileId}`);
    expect(byFile.map((r) => r.action).sort()).toEqual(
      [
        'file.deleted',
        'file.downloaded',
        'file.downloaded',
        'file.shared',
        'file.shared',
        'file.unshared',
        'file.uploaded',
      ].sort(),
    );
    expect((await trail(owner, `&clientId=${clientId}`)).every((r) => r.objects.clientId === clientId)).toBe(true);
    expect(await trail(owner, `&to=2000-01-01T00:00:00Z`)).toEqual([]);
    expect((await trail(owner, `&from=2000-01-01T00:00:00Z`)).length).toBe(all.length);

    // Pages of 3, newest first, add up to the whole trail without repeats.
    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const res: HttpResult<AuditPage> = await owner.get<AuditPage>(
        `/v1/audit?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      paged.push(...res.body.items.map((r) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((r) => r.id));

    const bad = await owner.get<{ code: string }>('/v1/audit?action=nope&from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    // ISO 8601 week dates pass a plain ISO check but are no time a query can use.
    const weekDate = await owner.get<{ code: string }>('/v1/audit?from=2009-W01-1');
    expect(weekDate.status).toBe(400);
    expect(
      (await fetch(`${gateway}/v1/audit/export?to=2009-123`, { headers: { authorization: `Bearer ${owner.token}` } }))
        .status,
    ).toBe(400);
  }, 60_000);

  it('answers 403 to a staff member who is not owner or admin, and shows another firm nothing', async () => {
    const email = uniqueEmail('plain');
    expect(
      (await owner.post('/v1/users', { name: 'Plain Staff', email, password: STAFF_PASSWORD, role: 'staff' })).status,
    ).toBe(201);
    const plain = anonymous.withToken((await anonymous.signIn(email)).accessToken);
    const forbidden = await plain.get<{ code: string }>('/v1/audit');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('FORBIDDEN');
    expect((await plain.get('/v1/audit/export')).status).toBe(403);
    expect((await anonymous.get('/v1/audit')).status).toBe(401);

    const otherFirm = anonymous.withToken((await anonymous.signUpFirm()).accessToken);
    let theirs: AuditRecordView[] = [];
    const deadline = Date.now() + 30_000;
    while (theirs.length === 0 && Date.now() < deadline) {
      await sleep(300);
      theirs = await trail(otherFirm);
    }
    // Their own sign-up only; nothing of the first firm.
    expect(theirs.map((r) => r.action)).toEqual(['staff.added']);
    expect((await trail(otherFirm, `&clientId=${clientId}`)).length).toBe(0);
  }, 60_000);

  it('keeps one record for an event delivered twice, before or after the others', async () => {
    const before = (await trail(owner)).length;
    const event = createEvent({
      topic: Topic.SignInFailed,
      firmId,
      correlationId: `it-${randomUUID()}`,
      key: randomUUID(),
      data: {
        accountId: null,
        accountKind: 'staff',
        ip: '192.0.2.1',
        userAgent: null,
        stage: 'password',
        reason: 'bad-credentials',
      },
    });
    await publisher.publish([event], 2);
    await publisher.publish([event]);
    await settled(before + 1);
    await sleep(1500); // a second record, if any, would have arrived by now
    const records = await trail(owner, '&action=sign-in.failed');
    expect(records.filter((r) => r.id === event.envelope.id)).toHaveLength(1);
    expect(records.find((r) => r.id === event.envelope.id)).toMatchObject({
      actor: { id: null, kind: 'anonymous' },
      ip: '192.0.2.1',
    });
    expect((await trail(owner)).length).toBe(before + 1);
  }, 60_000);

  it('exports CSV, streamed, with formula-like cells neutralised', async () => {
    // A file name and user agent a spreadsheet would run as formulas.
    const actor: EventActor = { id: ownerId, kind: 'staff', ip: '203.0.113.9', userAgent: '=HYPERLINK("http://evil")' };
    const fileId = randomUUID();
    const downloaded = createEvent({
      topic: Topic.FileDownloaded,
      firmId,
      correlationId: `it-${randomUUID()}`,
      key: fileId,
      actor,
      occurredAt: new Date(Date.now() - 1000),
      data: { fileId, clientId, by: ownerId, byKind: 'staff' },
    });
    const deleted = createEvent({
      topic: Topic.FileDeleted,
      firmId,
      correlationId: `it-${randomUUID()}`,
      key: fileId,
      actor,
      data: { fileId, clientId, name: '+cmd|"/c calc"!A1.csv' },
    });
    await publisher.publish([downloaded, deleted]);
    const deadline = Date.now() + 30_000;
    while ((await trail(owner, `&fileId=${fileId}`)).length < 2 && Date.now() < deadline) await sleep(300);

    const res = await fetch(`${gateway}/v1/audit/export?fileId=${fileId}`, {
      headers: { authorization: `Bearer ${owner.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await res.text()).split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^"time","action","actor_kind","actor_id"/);
    expect(lines).toHaveLength(3);
    // Newest first: the deletion, then the download.
    expect(lines[1]).toContain('"file.deleted"');
    expect(lines[2]).toContain('"file.downloaded"');
    // Every cell quoted, quotes doubled, formula starters prefixed with a quote mark.
    expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[1]).toContain('"Ada Lovelace"');
    expect(lines[1]).toContain('"{""name"":""+cmd|\\""/c calc\\""!A1.csv""}"');
    for (const line of lines.slice(1)) expect(line).not.toMatch(/(^|,)"?[=+\-@]/);

    const all = await fetch(`${gateway}/v1/audit/export`, { headers: { authorization: `Bearer ${owner.token}` } });
    const rows = (await all.text()).split('\r\n').filter(Boolean);
    expect(rows.length - 1).toBe((await trail(owner)).length);
  }, 60_000);

  it('drops records past the retention (the sweep: the local store keeps TTL indexes but expires nothing)', async () => {
    const old = createEvent({
      topic: Topic.FileDeleted,
      firmId,
      correlationId: `it-${randomUUID()}`,
      key: randomUUID(),
      occurredAt: new Date(Date.now() - 3 * 86_400_000),
      data: { fileId: randomUUID(), clientId, name: 'old.pdf' },
    });
    await publisher.publish([old]);
    const seen = async () => (await trail(owner, `&fileId=${old.envelope.data.fileId}`)).length;
    let deadline = Date.now() + 30_000;
    while ((await seen()) === 0 && Date.now() < deadline) await sleep(300);
    expect(await seen()).toBe(1);
    const before = (await trail(owner)).length;

    await stack.get('audit').stop();
    await stack.start(['audit'], { AUDIT_RETENTION_DAYS: '2', AUDIT_SWEEP_MS: '1000' });
    deadline = Date.now() + 30_000;
    while ((await seen()) === 1 && Date.now() < deadline) await sleep(500);
    expect(await seen()).toBe(0);
    expect((await trail(owner)).length).toBe(before - 1);
  }, 90_000);
});
