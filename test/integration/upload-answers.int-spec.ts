import {
  GatewayClient,
  GatewayTestStack,
  GeneratedFile,
  randomClientAddress,
  sendUploadSlowly,
  ServiceProcess,
  TEST_PORTS,
  testStackEnv,
  uploadMultipart,
} from '@cp/testing';

const MiB = 1024 * 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// An upload the gateway cannot pass on (the files service unreachable) is still answered: a 503
// the client reads, never a connection reset while the client is still sending its body (found by
// test:faults as `write EPIPE` on uploads).
describe('an upload the gateway cannot deliver', () => {
  const env = testStackEnv();
  const stack = new GatewayTestStack(env);
  // A second gateway whose files service is a port nothing listens on.
  const cutOff = new ServiceProcess('gateway', {
    ...env,
    PORT: String(TEST_PORTS.gateway + 8),
    FILES_URL: `http://127.0.0.1:${TEST_PORTS.gateway + 9}`,
  });
  let staff: GatewayClient;
  let clientId: string;

  beforeAll(async () => {
    await stack.startBehindGateway(['contacts', 'files']);
    const anonymous = new GatewayClient(stack.url('gateway')).from(randomClientAddress());
    staff = anonymous.withToken((await anonymous.signUpFirm()).accessToken);
    clientId = (await staff.post<{ id: string }>('/v1/clients', { name: 'Cut Off Ltd', kind: 'business' })).body.id;
    cutOff.start();
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${cutOff.url}/health`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error(`gateway did not start:\n${cutOff.logs.slice(-3000)}`);
      await sleep(200);
    }
  }, 180_000);

  afterAll(async () => {
    await cutOff.stop();
    await stack.stopAll();
  });

  it('answers 503 SERVICE_UNAVAILABLE to every upload, whatever its size, and reads the body to its end', async () => {
    const answers: (number | string)[] = [];
    for (const size of [256 * 1024, 9 * MiB, 256 * 1024, 9 * MiB, 30 * MiB]) {
      const file = new GeneratedFile(size, { delayMs: 1 });
      const answer = await uploadMultipart<{ code?: string }>(`${cutOff.url}/v1/clients/${clientId}/files`, {
        token: staff.token,
        file: { name: 'x.bin', size, bytes: file.stream() },
      }).then(
        (res) => {
          expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
          expect(res.headers['retry-after']).toBeDefined();
          return res.status;
        },
        (error: unknown) => `no answer: ${String(error)}`,
      );
      answers.push(answer);
    }
    expect(answers).toEqual([503, 503, 503, 503, 503]);
  }, 120_000);

  it('keeps reading a slow upload after its 503, and closes only once the body has all arrived', async () => {
    // The answer comes while the body is still on its way; a client keeps sending what it started.
    const seen = await sendUploadSlowly(
      `${cutOff.url}/v1/clients/${clientId}/files`,
      { Authorization: `Bearer ${staff.token}` },
      4 * MiB,
      50,
    );
    expect({ sent: seen.sent, writeError: seen.writeError }).toEqual({ sent: 4 * MiB, writeError: undefined });
    expect(seen.receivedBeforeEnd).toMatch(/^HTTP\/1\.1 503/);
    expect(seen.received).toMatch(/^HTTP\/1\.1 503/);
    expect(seen.received.toLowerCase()).toContain('connection: close');
    expect(seen.received).toContain('SERVICE_UNAVAILABLE');
  }, 60_000);
});
