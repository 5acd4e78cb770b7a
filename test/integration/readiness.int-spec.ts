import { AppName, http, TestStack } from '@cp/testing';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const INFRA = join(__dirname, '..', '..', 'infra', 'infra.sh');
// `npm test` exports the servers' addresses for the services; infra.sh reads a set address as "a
// server of the user's", so it is asked about the local servers without them.
const localEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !['KAFKA_BROKERS', 'MONGO_URL', 'S3_ENDPOINT', 'SMTP_URL'].includes(name),
  ),
);
const infra = (cmd: 'up' | 'down' | 'status', component: string) =>
  execFileSync('bash', [INFRA, cmd, component], { stdio: 'pipe', timeout: 180_000, env: localEnv }).toString();

async function readiness(stack: TestStack, app: AppName) {
  return http<{ status: number; detail?: string; code?: string }>('GET', `${stack.url(app)}/ready`);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const ALL: AppName[] = ['contacts', 'invites', 'notifications', 'files', 'audit', 'gateway'];

// The servers this test stops and starts again, with the address the services are given for
// each when this checkout runs it. The MongoDB-wire server is never stopped here, so never started.
const STOPPABLE = {
  kafka: ['KAFKA_BROKERS', '127.0.0.1:9092'],
  minio: ['S3_ENDPOINT', 'http://127.0.0.1:9000'],
  smtp: ['SMTP_URL', 'smtp://127.0.0.1:1025'],
} as const;

/** This checkout runs the server, and the services are pointed at it (not at another one). */
function ours(component: keyof typeof STOPPABLE): boolean {
  const [variable, local] = STOPPABLE[component];
  const address = process.env[variable];
  return (address === undefined || address === local) && infra('status', component).includes('running');
}

// Each service's /ready names the server it cannot reach, and recovers by itself.
describe('health and readiness', () => {
  const stack = new TestStack();
  // Only stop servers this checkout started and the services use; others (a user's, another
  // checkout's, one named by an address variable) are left alone.
  const managed = (Object.keys(STOPPABLE) as (keyof typeof STOPPABLE)[]).every(ours);

  beforeAll(async () => {
    await stack.start(ALL);
  }, 180_000);

  afterAll(async () => {
    if (managed) for (const c of Object.keys(STOPPABLE)) infra('up', c);
    await stack.stopAll();
  }, 200_000);

  it('answers /health and /ready on all five services', async () => {
    for (const app of ALL) {
      expect((await http('GET', `${stack.url(app)}/health`)).status).toBe(200);
      expect((await readiness(stack, app)).status).toBe(200);
    }
  });

  (managed ? it : it.skip)(
    'MinIO down: files is not ready, naming the object store; back up: ready again',
    async () => {
      infra('down', 'minio');
      const down = await readiness(stack, 'files');
      expect(down.status).toBe(503);
      expect(down.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(down.body.detail).toMatch(/object-store .* is unreachable/);
      expect((await readiness(stack, 'contacts')).status).toBe(200); // does not need it
      infra('up', 'minio');
      await eventually(async () => (await readiness(stack, 'files')).status === 200);
    },
    120_000,
  );

  (managed ? it : it.skip)(
    'Kafka killed: every data service names kafka; it recovers after restart',
    async () => {
      infra('down', 'kafka');
      for (const app of ['contacts', 'invites', 'notifications', 'files', 'audit'] as AppName[]) {
        const res = await readiness(stack, app);
        expect(res.status).toBe(503);
        expect(res.body.detail).toMatch(/kafka .* is unreachable/);
      }
      infra('up', 'kafka');
      for (const app of ['contacts', 'invites', 'notifications', 'files', 'audit'] as AppName[]) {
        await eventually(async () => (await readiness(stack, app)).status === 200);
      }
    },
    180_000,
  );

  (managed ? it : it.skip)(
    'SMTP down: notifications names smtp',
    async () => {
      infra('down', 'smtp');
      const res = await readiness(stack, 'notifications');
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/smtp .* is unreachable/);
      infra('up', 'smtp');
      await eventually(async () => (await readiness(stack, 'notifications')).status === 200);
    },
    120_000,
  );

  it('the gateway is not ready while a service it routes to is down', async () => {
    await stack.get('files').stop();
    const res = await readiness(stack, 'gateway');
    expect(res.status).toBe(503);
    expect(res.body.detail).toMatch(/files .* is unreachable/);
    stack.get('files').start();
    await stack.get('files').waitReady();
    await eventually(async () => (await readiness(stack, 'gateway')).status === 200);
  }, 120_000);
});
