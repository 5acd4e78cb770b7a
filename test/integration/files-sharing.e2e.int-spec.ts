import { createEvent, Topic } from '@cp/contracts';
import {
  addContact,
  downloadHashed,
  GatewayClient,
  GatewayTestStack,
  GeneratedFile,
  inviteToken,
  KafkaTap,
  onboardContact,
  PortalContact,
  PORTAL_PASSWORD,
  randomClientAddress,
  TappedMessage,
  TestPublisher,
  testStackEnv,
  uploadMultipart,
} from '@cp/testing';
import { Client as MinioClient } from 'minio';
import { randomUUID } from 'node:crypto';

const MiB = 1024 * 1024;
const BUCKET = 'client-portal-test';
const fileIdOf = (m: TappedMessage) => (m.value.data as { fileId?: string }).fileId;

interface FileBody {
  id: string;
  name: string;
  size: number;
  sha256: string;
  contentType: string;
  sharedWith: string[];
  uploaderKind: string;
  requestId: string | null;
}

// Issue 7 end to end through the gateway, against real Kafka, the MongoDB-wire server, MinIO and Mailpit.
describe('files and document requests through the gateway', () => {
  const env = testStackEnv();
  const stack = new GatewayTestStack(env);
  const tap = new KafkaTap();
  const publisher = new TestPublisher();
  const minio = new MinioClient({
    endPoint: '127.0.0.1',
    port: 9000,
    useSSL: false,
    accessKey: process.env.S3_ACCESS_KEY ?? 'clientportal',
    secretKey: process.env.S3_SECRET_KEY ?? 'clientportal-local-secret',
  });
  let gateway: string;
  let anonymous: GatewayClient;
  let staff: GatewayClient;
  let firmId: string;
  let clientId: string;
  let contactA: PortalContact;
  let contactB: PortalContact;
  let otherStaff: GatewayClient;

  beforeAll(async () => {
    await tap.start([Topic.FileShared, Topic.FileUploaded, Topic.InviteEmailRequested]);
    await publisher.connect();
    // No notifications service: the link is read from the invites service's sealed email request.
    await stack.startBehindGateway(['contacts', 'invites', 'files']);
    gateway = stack.url('gateway');
    anonymous = new GatewayClient(gateway).from(randomClientAddress());
    const firm = await anonymous.signUpFirm();
    firmId = firm.firm.id;
    staff = anonymous.withToken(firm.accessToken);
    clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'The Babbage Household', kind: 'individual' }))
      .body.id;
    const links = { tap, linkKey: env.INVITE_LINK_KEY ?? '' };
    contactA = await onboardContact(staff, anonymous, links, clientId, 'Ada');
    contactB = await onboardContact(staff, anonymous, links, clientId, 'Bea');
    otherStaff = anonymous.withToken((await anonymous.signUpFirm()).accessToken);
  }, 300_000);

  afterAll(async () => {
    await publisher.disconnect();
    await tap.stop();
    await stack.stopAll();
  });

  const upload = (
    path: string,
    token: string | undefined,
    file: GeneratedFile,
    name: string,
    fields = {},
    fieldsAfterFile = {},
  ) =>
    uploadMultipart<FileBody & { code?: string; contactIds?: string[] }>(`${gateway}${path}`, {
      token,
      fields,
      fieldsAfterFile,
      file: { name, size: file.size, bytes: file.stream(), contentType: 'text/html' },
    });

  async function objectsOfFirm(): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of minio.listObjects(BUCKET, `firms/${firmId}/`, true)) keys.push(String(item.name));
    return keys;
  }

  // Issue 11, defect 1: the bad cursor used to throw while the client look-up was in flight; the
  // look-up's own rejection (no such client) then went unhandled and took the files service down.
  it('a bad cursor on a client that is not one answers 400 and every service stays up', async () => {
    const notAClient = '00000000-0000-4000-8000-000000000000';
    for (const path of [
      `/v1/clients/${notAClient}/requests?cursor=zzz`,
      `/v1/clients/${notAClient}/files?cursor=zzz`,
      `/v1/clients/${clientId}/requests?cursor=zzz`,
      `/v1/clients/${clientId}/files?cursor=zzz`,
    ]) {
      const res = await staff.get<{ code: string }>(path);
      expect({ path, status: res.status, code: res.body.code }).toEqual({
        path,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    // The rejection that killed it came a moment after the answer.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    for (const app of ['gateway', 'contacts', 'invites', 'files'] as const) {
      expect({ app, exitCode: stack.get(app).exitCode }).toEqual({ app, exitCode: null });
      const health = await fetch(`${stack.url(app)}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ details: { process: { unhandledRejections: 0 } } });
    }
    expect((await staff.get(`/v1/clients/${notAClient}/requests`)).status).toBe(404);
    expect((await staff.get(`/v1/clients/${clientId}/requests`)).status).toBe(200);
  }, 60_000);

  it('shares a 50 MiB file with A: A lists and downloads the same bytes; B and another firm get 404', async () => {
    const pdf = new GeneratedFile(50 * MiB, { head: Buffer.from('%PDF-1.7\n') });
    const created = await upload(
      `/v1/clients/${clientId}/files`,
      staff.token,
      pdf,
      '../../Tax Return 2025 «final».pdf',
      {
        sharedWith: JSON.stringify([contactA.contactId]),
      },
    );
    expect(created.status).toBe(201);
    const file = created.body;
    expect(file).toMatchObject({
      name: 'Tax Return 2025 «final».pdf',
      size: 50 * MiB,
      sha256: pdf.sha256,
      contentType: 'application/pdf', // from the bytes, not the client's "text/html"
      sharedWith: [contactA.contactId],
      uploaderKind: 'staff',
    });
    // The object key is made of ids only.
    expect(await objectsOfFirm()).toEqual([`firms/${firmId}/files/${file.id}`]);

    const listed = await contactA.portal.get<{ items: FileBody[]; nextCursor: null }>('/v1/portal/files');
    expect(listed.body.items.map((f) => f.id)).toEqual([file.id]);
    const got = await downloadHashed(`${gateway}/v1/portal/files/${file.id}/download`, contactA.portal.token);
    expect(got.status).toBe(200);
    expect(got.size).toBe(50 * MiB);
    expect(got.sha256).toBe(pdf.sha256);
    expect(got.headers['x-checksum-sha256']).toBe(pdf.sha256);
    expect(got.headers['repr-digest']).toBe(`sha-256=:${Buffer.from(pdf.sha256, 'hex').toString('base64')}:`);
    expect(got.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('Tax Return 2025 «final».pdf')}`,
    );
    expect(got.headers['content-type']).toBe('application/pdf');

    // B, same firm, not shared: nothing, for listing, metadata and download alike.
    expect((await contactB.portal.get<{ items: unknown[] }>('/v1/portal/files')).body.items).toEqual([]);
    expect((await contactB.portal.get(`/v1/portal/files/${file.id}`)).status).toBe(404);
    expect((await contactA.portal.get<FileBody>(`/v1/portal/files/${file.id}`)).body.sha256).toBe(pdf.sha256);
    const bDownload = await downloadHashed(`${gateway}/v1/portal/files/${file.id}/download`, contactB.portal.token);
    expect(bDownload.status).toBe(404);
    // Another firm's staff: 404 for metadata and download; a portal token opens no staff route.
    expect((await otherStaff.get(`/v1/files/${file.id}`)).status).toBe(404);
    expect((await otherStaff.get(`/v1/clients/${clientId}/files`)).status).toBe(404);
    expect((await otherStaff.get(`/v1/clients/${clientId}/requests`)).status).toBe(404);
    expect((await otherStaff.patch(`/v1/files/${file.id}`, { sharedWith: [] })).status).toBe(404);
    expect((await otherStaff.delete(`/v1/files/${file.id}`)).status).toBe(404);
    expect((await downloadHashed(`${gateway}/v1/files/${file.id}/download`, otherStaff.token)).status).toBe(404);
    expect((await contactA.portal.get(`/v1/files/${file.id}`)).status).toBe(401);
    // The firm downloads the same bytes.
    const firmCopy = await downloadHashed(`${gateway}/v1/files/${file.id}/download`, staff.token);
    expect(firmCopy.sha256).toBe(pdf.sha256);

    // Re-share with B only: A loses it, B gets it.
    const reshared = await staff.patch<FileBody>(`/v1/files/${file.id}`, { sharedWith: [contactB.contactId] });
    expect(reshared.body.sharedWith).toEqual([contactB.contactId]);
    expect((await contactA.portal.get<{ items: unknown[] }>('/v1/portal/files')).body.items).toEqual([]);
    expect((await downloadHashed(`${gateway}/v1/portal/files/${file.id}/download`, contactA.portal.token)).status).toBe(
      404,
    );
    expect((await downloadHashed(`${gateway}/v1/portal/files/${file.id}/download`, contactB.portal.token)).sha256).toBe(
      pdf.sha256,
    );

    // Events: FileUploaded and FileShared (twice), keyed by the file, with no presigned URL.
    const uploaded = await tap.waitFor((m) => m.topic === String(Topic.FileUploaded) && fileIdOf(m) === file.id);
    expect(uploaded[0].key).toBe(file.id);
    expect(uploaded[0].value).toMatchObject({
      type: 'FileUploaded',
      firmId,
      data: { fileId: file.id, clientId, uploaderKind: 'staff', size: 50 * MiB, requestId: null },
    });
    const shared = await tap.waitFor((m) => m.topic === String(Topic.FileShared) && fileIdOf(m) === file.id, 2);
    expect(shared.map((m) => (m.value.data as { contactIds: string[] }).contactIds)).toEqual([
      [contactA.contactId],
      [contactB.contactId],
    ]);
    for (const m of [...uploaded, ...shared]) {
      expect(m.raw).not.toMatch(/X-Amz-|Signature=|https?:\/\//i);
    }
    for (const app of ['gateway', 'files'] as const) expect(stack.get(app).logs).not.toMatch(/X-Amz-|Signature=/i);

    // Deleting removes the bytes too.
    expect((await staff.delete(`/v1/files/${file.id}`)).status).toBe(204);
    expect(await objectsOfFirm()).toEqual([]);
    expect((await staff.get(`/v1/files/${file.id}`)).status).toBe(404);
  }, 300_000);

  it('refuses to share with a contact who was never invited: 409 CONTACT_NOT_INVITED naming them', async () => {
    const notInvited = await addContact(staff, clientId, 'Cyd');
    const small = new GeneratedFile(1000);
    const refused = await upload(`/v1/clients/${clientId}/files`, staff.token, small, 'notes.txt', {
      sharedWith: JSON.stringify([contactA.contactId, notInvited]),
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONTACT_NOT_INVITED', contactIds: [notInvited] });
    expect(await objectsOfFirm()).toEqual([]);

    const text = new GeneratedFile(2000);
    const created = await upload(`/v1/clients/${clientId}/files`, staff.token, text, 'notes.txt');
    expect(created.status).toBe(201);
    const patched = await staff.patch(`/v1/files/${created.body.id}`, { sharedWith: [notInvited] });
    expect(patched.status).toBe(409);
    expect(patched.body).toMatchObject({ code: 'CONTACT_NOT_INVITED', contactIds: [notInvited] });
    // A contact of another client (or firm) is not a contact of this client.
    const otherClient = (await staff.post<{ id: string }>('/v1/clients', { name: 'Other', kind: 'business' })).body.id;
    const elsewhere = await addContact(staff, otherClient, 'Dee');
    const wrong = await staff.patch(`/v1/files/${created.body.id}`, { sharedWith: [elsewhere] });
    expect(wrong.status).toBe(404);
    expect(wrong.body).toMatchObject({ code: 'NOT_FOUND', contactIds: [elsewhere] });
    const request = await staff.post(`/v1/clients/${clientId}/requests`, { title: 'W-2', contactIds: [notInvited] });
    expect(request.body).toMatchObject({ code: 'CONTACT_NOT_INVITED', contactIds: [notInvited] });
    expect((await staff.delete(`/v1/files/${created.body.id}`)).status).toBe(204);
  }, 120_000);

  it('shares with a contact whose invite is pending: they see it once they accept; a revoked invite is refused', async () => {
    const waitForState = async (contactId: string, state: string) => {
      const deadline = Date.now() + 60_000;
      while (
        (await staff.get<{ portal: { state: string } }>(`/v1/contacts/${contactId}`)).body.portal.state !== state
      ) {
        if (Date.now() > deadline) throw new Error(`contact ${contactId} never showed as ${state}`);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    const pending = await addContact(staff, clientId, 'Eve');
    expect((await staff.post(`/v1/contacts/${pending}/invites`, {})).status).toBe(201);
    await waitForState(pending, 'invited');
    const shared = await upload(`/v1/clients/${clientId}/files`, staff.token, new GeneratedFile(3000), 'for-eve.txt', {
      sharedWith: JSON.stringify([pending]),
    });
    expect(shared.status).toBe(201);
    expect(shared.body.sharedWith).toEqual([pending]);

    const eveEmail = (await staff.get<{ email: string }>(`/v1/contacts/${pending}`)).body.email;
    const token = await inviteToken({ tap, linkKey: env.INVITE_LINK_KEY ?? '' }, pending, eveEmail);
    const accepted = await anonymous.post<{ accessToken: string }>('/v1/portal/invites/accept', {
      token,
      password: PORTAL_PASSWORD,
    });
    expect(accepted.status).toBe(201);
    const eve = anonymous.withToken(accepted.body.accessToken);
    const seen = await eve.get<{ items: FileBody[] }>('/v1/portal/files');
    expect(seen.body.items.map((f) => f.id)).toEqual([shared.body.id]);

    const revoked = await addContact(staff, clientId, 'Fay');
    const invite = await staff.post<{ id: string }>(`/v1/contacts/${revoked}/invites`, {});
    expect((await staff.post(`/v1/invites/${invite.body.id}/revoke`, {})).status).toBe(200);
    await waitForState(revoked, 'revoked');
    const refused = await staff.patch(`/v1/files/${shared.body.id}`, { sharedWith: [pending, revoked] });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CONTACT_NOT_INVITED', contactIds: [revoked] });
    expect((await staff.delete(`/v1/files/${shared.body.id}`)).status).toBe(204);
  }, 180_000);

  it('request → in the To-Do → portal upload with requestId → gone from the To-Do, the firm sees it done', async () => {
    const asked = await staff.post<{ id: string; status: string }>(`/v1/clients/${clientId}/requests`, {
      title: '2025 W-2 forms',
      description: 'All employers, please',
      contactIds: [contactA.contactId],
      dueDate: '2026-04-15',
    });
    expect(asked.status).toBe(201);
    expect(asked.body.status).toBe('open');
    const todo = await contactA.portal.get<{ items: { id: string; title: string }[] }>('/v1/portal/todos');
    expect(todo.body.items).toEqual([expect.objectContaining({ id: asked.body.id, title: '2025 W-2 forms' })]);
    expect((await contactB.portal.get<{ items: unknown[] }>('/v1/portal/todos')).body.items).toEqual([]);
    // B may not fulfil A's request.
    const byB = await upload('/v1/portal/files', contactB.portal.token, new GeneratedFile(100), 'w2.pdf', {
      requestId: asked.body.id,
    });
    expect(byB.status).toBe(404);

    const w2 = new GeneratedFile(3 * MiB, { head: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) });
    const sent = await upload('/v1/portal/files', contactA.portal.token, w2, 'w2 scan.png', {
      requestId: asked.body.id,
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      uploaderKind: 'contact',
      requestId: asked.body.id,
      sha256: w2.sha256,
      contentType: 'image/png',
    });
    expect((await contactA.portal.get<{ items: unknown[] }>('/v1/portal/todos')).body.items).toEqual([]);
    const requests = await staff.get<{ items: { id: string; status: string; fileIds: string[] }[] }>(
      `/v1/clients/${clientId}/requests`,
    );
    expect(requests.body.items.find((r) => r.id === asked.body.id)).toMatchObject({
      status: 'done',
      fileIds: [sent.body.id],
      fulfilledBy: contactA.contactId,
    });
    const files = await staff.get<{ items: FileBody[] }>(`/v1/clients/${clientId}/files`);
    expect(files.body.items.map((f) => f.id)).toContain(sent.body.id);
    // A sees their own upload; B does not.
    expect((await contactA.portal.get<{ items: FileBody[] }>('/v1/portal/files')).body.items.map((f) => f.id)).toEqual([
      sent.body.id,
    ]);
    expect((await contactB.portal.get<{ items: unknown[] }>('/v1/portal/files')).body.items).toEqual([]);

    const event = await tap.waitFor((m) => m.topic === String(Topic.FileUploaded) && fileIdOf(m) === sent.body.id);
    expect(event[0].key).toBe(contactA.contactId);
    expect(event[0].value.data).toMatchObject({
      uploadedBy: contactA.contactId,
      uploaderKind: 'contact',
      requestId: asked.body.id,
      name: 'w2 scan.png',
    });
    expect(event[0].raw).not.toMatch(/X-Amz-|Signature=/i);
  }, 120_000);

  // Issue 11, defect 3: `curl -F file=@x -F 'sharedWith=[…]'` sends the file part first.
  describe('form fields after the file part', () => {
    it('a staff upload shares with the contacts named after the bytes', async () => {
      const bytes = new GeneratedFile(300 * 1024);
      const created = await upload(
        `/v1/clients/${clientId}/files`,
        staff.token,
        bytes,
        'late.txt',
        {},
        {
          sharedWith: JSON.stringify([contactA.contactId]),
        },
      );
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ sharedWith: [contactA.contactId], size: 300 * 1024, sha256: bytes.sha256 });
      const got = await downloadHashed(`${gateway}/v1/portal/files/${created.body.id}/download`, contactA.portal.token);
      expect(got.sha256).toBe(bytes.sha256);
      const shared = await tap.waitFor((m) => m.topic === String(Topic.FileShared) && fileIdOf(m) === created.body.id);
      expect((shared[0].value.data as { contactIds: string[] }).contactIds).toEqual([contactA.contactId]);
      expect((await staff.delete(`/v1/files/${created.body.id}`)).status).toBe(204);
    }, 120_000);

    it('the same checks apply after the bytes, and a refused upload keeps nothing', async () => {
      const before = await objectsOfFirm();
      const notInvited = await addContact(staff, clientId, 'Eli');
      const refused = await upload(
        `/v1/clients/${clientId}/files`,
        staff.token,
        new GeneratedFile(9000),
        'x.txt',
        {},
        {
          sharedWith: JSON.stringify([notInvited]),
        },
      );
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'CONTACT_NOT_INVITED', contactIds: [notInvited] });
      const unknown = await upload(
        `/v1/clients/${clientId}/files`,
        staff.token,
        new GeneratedFile(9000),
        'x.txt',
        {},
        {
          colour: 'red',
        },
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(await objectsOfFirm()).toEqual(before);
      const listed = await staff.get<{ items: FileBody[] }>(`/v1/clients/${clientId}/files?limit=200`);
      expect(listed.body.items.filter((f) => f.name === 'x.txt')).toEqual([]);
    }, 120_000);

    it('a contact fulfils a request named after the bytes', async () => {
      const asked = await staff.post<{ id: string }>(`/v1/clients/${clientId}/requests`, {
        title: 'Bank statements',
        contactIds: [contactB.contactId],
      });
      expect(asked.status).toBe(201);
      const sent = await upload(
        '/v1/portal/files',
        contactB.portal.token,
        new GeneratedFile(5000),
        'bank.pdf',
        {},
        {
          requestId: asked.body.id,
        },
      );
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ uploaderKind: 'contact', requestId: asked.body.id });
      const requests = await staff.get<{ items: { id: string; status: string; fileIds: string[] }[] }>(
        `/v1/clients/${clientId}/requests`,
      );
      expect(requests.body.items.find((r) => r.id === asked.body.id)).toMatchObject({
        status: 'done',
        fileIds: [sent.body.id],
      });
    }, 120_000);
  });

  // Race (README "Reliability"): the files service asks the contacts service at share time, and
  // that one learns of an accept from the invite.accepted event, so a share can come before it.
  it('sharing with a contact whose accept has not been seen yet is refused, and allowed once it is', async () => {
    const contactId = await addContact(staff, clientId, 'Fay');
    const created = await upload(`/v1/clients/${clientId}/files`, staff.token, new GeneratedFile(2000), 'race.txt');
    expect(created.status).toBe(201);
    const early = await staff.patch(`/v1/files/${created.body.id}`, { sharedWith: [contactId] });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'CONTACT_NOT_INVITED', contactIds: [contactId] });

    // The accept's event arrives (published as the invites service does).
    await publisher.publish([
      createEvent({
        topic: Topic.InviteAccepted,
        firmId,
        correlationId: `it-${contactId}`,
        key: contactId,
        data: { inviteId: randomUUID(), contactId, clientId, acceptedAt: new Date().toISOString() },
      }),
    ]);
    const deadline = Date.now() + 30_000;
    while (
      (await staff.get<{ portal: { state: string } }>(`/v1/contacts/${contactId}`)).body.portal.state !== 'accepted'
    ) {
      if (Date.now() > deadline) throw new Error('the contacts service never saw the accept');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const later = await staff.patch<FileBody>(`/v1/files/${created.body.id}`, { sharedWith: [contactId] });
    expect(later.status).toBe(200);
    expect(later.body.sharedWith).toEqual([contactId]);
    expect((await staff.delete(`/v1/files/${created.body.id}`)).status).toBe(204);
  }, 120_000);
});
