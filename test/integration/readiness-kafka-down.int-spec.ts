import { ServiceProcess, TEST_PORTS, testStackEnv } from '@cp/testing';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The status of one /ready call and how long it took; 0 when no answer came within `timeoutMs`. */
async function timedReady(url: string, timeoutMs: number): Promise<{ status: number; ms: number; detail: string }> {
  const started = Date.now();
  try {
    const res = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.json()) as { detail?: string };
    return { status: res.status, ms: Date.now() - started, detail: body.detail ?? '' };
  } catch {
    return { status: 0, ms: Date.now() - started, detail: '' };
  }
}

// A kubelet (or the fault run) waits a few seconds for /ready and counts no answer as a failure,
// not as "not ready": with Kafka refusing connections, the probe must say 503 at once, every time.
// Kafka is "down" here by pointing the service at a port nothing listens on (the shared broker
// keeps running for everyone else).
describe('readiness while Kafka refuses connections', () => {
  const service = new ServiceProcess('invites', {
    ...testStackEnv({ KAFKA_BROKERS: `127.0.0.1:${TEST_PORTS.gateway + 9}` }),
    PORT: String(TEST_PORTS.invites),
  });

  beforeAll(async () => {
    service.start();
    const deadline = Date.now() + 60_000;
    while (
      !(await fetch(`${service.url}/health`)
        .then((r) => r.ok)
        .catch(() => false))
    ) {
      if (Date.now() > deadline) throw new Error(`invites did not start:\n${service.logs.slice(-3000)}`);
      await sleep(200);
    }
  }, 90_000);

  afterAll(async () => {
    await service.stop();
  });

  it('answers 503 naming kafka within a second, probe after probe', async () => {
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await timedReady(service.url, 3000));
    // The probe client tries once: a refused broker is a quick "down", not a retry until the timeout.
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.detail).toMatch(/kafka .* is unreachable/);
    }
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1000);
  }, 60_000);

  it('stays quick when many probes come at once (no probe waits on another)', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, async () => timedReady(service.url, 3000)));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(503));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1500);
  }, 60_000);
});
