import { AppName, ServiceProcess, TEST_PORTS } from './service-process';
import { TestStack, testStackEnv } from './stack';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A test stack with the gateway in front of only the services a test calls. The gateway's
 * /ready wants all four services, so it is waited for on /health once those services are ready;
 * the other services' state then cannot fail a test that never reaches them.
 */
export class GatewayTestStack extends TestStack {
  constructor(private readonly stackEnv: NodeJS.ProcessEnv = testStackEnv()) {
    super(stackEnv);
  }

  async startBehindGateway(services: Exclude<AppName, 'gateway'>[], timeoutMs = 60_000): Promise<this> {
    await this.start(services);
    const gateway = new ServiceProcess('gateway', { ...this.stackEnv, PORT: String(TEST_PORTS.gateway) });
    this.services.set('gateway', gateway.start());
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (gateway.exitCode !== null) {
        throw new Error(`gateway exited with ${gateway.exitCode}:\n${gateway.logs.slice(-3000)}`);
      }
      try {
        if ((await fetch(`${gateway.url}/health`, { signal: AbortSignal.timeout(3000) })).ok) return this;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`gateway not up after ${timeoutMs} ms:\n${gateway.logs.slice(-3000)}`);
      await sleep(200);
    }
  }
}
