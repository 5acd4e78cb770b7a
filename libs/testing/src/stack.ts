import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { randomBytes } from 'node:crypto';
import { Topic } from '@cp/contracts';
import { skipTopicHistory, waitUntilConsumed } from './kafka-history';
import { AppName, ServiceProcess, takeServiceFaults, TEST_PORTS } from './service-process';

/**
 * One prefix per test file (jest loads this module once per file): each file gets databases and
 * consumer groups of its own, so work an earlier file left behind (queued emails, reminders,
 * unconsumed events) never competes with a later file's expectations. The port base keeps two
 * checkouts testing at once apart as well.
 */
const FILE_STACK_PREFIX = `it${TEST_PORTS.gateway}_${randomBytes(3).toString('hex')}_`;

/**
 * The environment of the test stack: the same loopback servers as `npm start`, but its own
 * databases and consumer groups (STACK_PREFIX) and ports, so tests never touch dev data.
 */
export function testStackEnv(overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    STACK_PREFIX: FILE_STACK_PREFIX,
    OUTBOX_POLL_MS: '100',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    INTERNAL_API_TOKEN: TEST_INTERNAL_TOKEN,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    // Fixed for every test stack: a delivery queued by one test file may be sent by the next.
    INVITE_LINK_KEY: 'dGVzdC1vbmx5LWludml0ZS1saW5rLWtleS0zMmJ5dGU=',
    TWO_STEP_KEY: randomBytes(32).toString('base64'),
    KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
    MONGO_URL: process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017',
    S3_ENDPOINT: process.env.S3_ENDPOINT ?? 'http://127.0.0.1:9000',
    S3_ACCESS_KEY: process.env.S3_ACCESS_KEY ?? 'clientportal',
    S3_SECRET_KEY: process.env.S3_SECRET_KEY ?? 'clientportal-local-secret',
    S3_BUCKET: 'client-portal-test',
    SMTP_URL: process.env.SMTP_URL ?? 'smtp://127.0.0.1:1025',
    MAIL_FROM: 'portal@client-portal.test',
    PORTAL_URL: 'http://portal.test',
    CONTACTS_URL: `http://127.0.0.1:${TEST_PORTS.contacts}`,
    INVITES_URL: `http://127.0.0.1:${TEST_PORTS.invites}`,
    NOTIFICATIONS_URL: `http://127.0.0.1:${TEST_PORTS.notifications}`,
    FILES_URL: `http://127.0.0.1:${TEST_PORTS.files}`,
    AUDIT_URL: `http://127.0.0.1:${TEST_PORTS.audit}`,
  };
  return { ...base, ...overrides };
}

export const TEST_INTERNAL_TOKEN = 'test-internal-token-0123456789';

/** The consuming services; each reads as the consumer group `<STACK_PREFIX><service>`. */
const CONSUMERS: AppName[] = ['contacts', 'invites', 'notifications', 'files', 'audit'];

/**
 * Services read their topics from the beginning when their group is new, as they must in
 * production. A test stack's groups are new for every file, so before a service first starts
 * its group is placed at the current end of every topic: it reads only what this file produces.
 */
async function startGroupsAtTopicEnds(env: NodeJS.ProcessEnv, apps: AppName[]): Promise<void> {
  const groupIds = apps.filter((app) => CONSUMERS.includes(app)).map((app) => `${env.STACK_PREFIX}${app}`);
  await skipTopicHistory(groupIds, (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','));
}

function testKafka(env: NodeJS.ProcessEnv): Kafka {
  return new Kafka({
    clientId: `${env.STACK_PREFIX}test-stack`,
    brokers: (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
    logLevel: logLevel.NOTHING,
  });
}

/** Services started for one test file; `stopAll` in afterAll. */
export class TestStack {
  readonly services = new Map<AppName, ServiceProcess>();
  readonly replicas: ServiceProcess[] = [];
  private readonly groupsPlaced = new Set<AppName>();

  constructor(private readonly env: NodeJS.ProcessEnv = testStackEnv()) {}

  /** Starts the apps (in dependency order) and waits until each is ready. */
  async start(apps: AppName[], extraEnv: NodeJS.ProcessEnv = {}): Promise<this> {
    const firstStarts = apps.filter((app) => !this.groupsPlaced.has(app));
    if (firstStarts.length > 0) {
      await startGroupsAtTopicEnds({ ...this.env, ...extraEnv }, firstStarts);
      firstStarts.forEach((app) => this.groupsPlaced.add(app));
    }
    for (const app of apps) {
      const service = new ServiceProcess(app, { ...this.env, ...extraEnv, PORT: String(TEST_PORTS[app]) });
      this.services.set(app, service.start());
    }
    await Promise.all(apps.map((app) => this.get(app).waitReady()));
    return this;
  }

  /**
   * A second process of an app already started, on another port: the same databases and consumer
   * group, as a second replica in a cluster. The gateway keeps calling the first.
   */
  async startReplica(app: AppName, port: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<ServiceProcess> {
    const replica = new ServiceProcess(app, { ...this.env, ...extraEnv, PORT: String(port) }).start();
    this.replicas.push(replica);
    await replica.waitReady();
    return replica;
  }

  get(app: AppName): ServiceProcess {
    const service = this.services.get(app);
    if (!service) throw new Error(`${app} is not part of this stack`);
    return service;
  }

  url(app: AppName): string {
    return this.get(app).url;
  }

  /** Waits until the app has handled every event the topic held when called (its group caught up). */
  async caughtUp(app: AppName, topic: Topic, timeoutMs?: number): Promise<void> {
    await waitUntilConsumed(
      `${this.env.STACK_PREFIX}${app}`,
      topic,
      timeoutMs,
      (this.env.KAFKA_BROKERS ?? '').split(','),
    );
  }

  /** Stops every service, then drops this stack's databases and consumer groups. */
  async stopAll(): Promise<void> {
    // What went wrong after the file's last test; thrown once the stack is cleaned up.
    const faults = takeServiceFaults();
    await this.stopAndDrop();
    if (faults.length > 0) throw new Error(`a service faulted after the last test:\n${faults.join('\n')}`);
  }

  private async stopAndDrop(): Promise<void> {
    await Promise.all([...this.services.values(), ...this.replicas].map((s) => s.stop()));
    const prefix = this.env.STACK_PREFIX ?? '';
    if (!prefix.startsWith('it')) return; // only ever clean up what a test stack made
    const connection = await mongoose
      .createConnection(this.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017', { serverSelectionTimeoutMS: 5000 })
      .asPromise();
    try {
      for (const app of this.services.keys()) await connection.useDb(`${prefix}${app}`).dropDatabase();
    } finally {
      await connection.close();
    }
    const admin = testKafka(this.env).admin();
    await admin.connect();
    try {
      await admin.deleteGroups([...this.groupsPlaced].map((app) => `${prefix}${app}`)).catch(() => undefined);
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * A file's afterAll: runs every step even when one throws (stopAll does, after cleaning up, when
 * a service faulted), then throws the first failure. A skipped step would leave a process or a
 * server running, holding its port for the next file and keeping jest from exiting.
 */
export async function tearDown(...steps: (() => Promise<unknown>)[]): Promise<void> {
  const failures: unknown[] = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
