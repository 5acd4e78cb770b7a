import { Controller, DynamicModule, Get, Inject, Injectable, Module, Provider, Type } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorResult,
  HealthIndicatorService,
  TerminusModule,
} from '@nestjs/terminus';
import type { Connection } from 'mongoose';
import { Public } from './internal-token.guard';
import { readiness, readinessCheck } from './metrics';
import { unhandledRejectionCount } from './process-faults';
import { isShuttingDown } from './shutdown';

/** One dependency that must be reachable for the service to take traffic. */
export interface ReadinessCheck {
  check(): Promise<HealthIndicatorResult>;
}

const READINESS_CHECKS = Symbol('READINESS_CHECKS');

/** Rejects after `ms` so a hung dependency reads as down instead of hanging the probe. */
export async function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Turns a probe into a terminus result named after the dependency, with the reason when down. */
export async function probe(
  indicators: HealthIndicatorService,
  name: string,
  describeTarget: string,
  work: () => Promise<unknown>,
): Promise<HealthIndicatorResult> {
  const session = indicators.check(name);
  try {
    await withTimeout(name, 2500, work());
    return session.up({ target: describeTarget });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return session.down({ message: `${name} (${describeTarget}) is unreachable: ${reason}` });
  }
}

@Injectable()
export class MongoReadiness implements ReadinessCheck {
  constructor(
    @InjectConnection() private readonly connection: Connection,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const hosts = this.connection.getClient().options.hosts.map(String).join(',');
    return probe(this.indicators, 'mongo', hosts, async () => {
      if (!this.connection.db) throw new Error('not connected');
      await this.connection.db.admin().ping();
    });
  }
}

@Controller()
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
  ) {}

  /**
   * Liveness: the process answers. Restarting it would not fix a missing dependency. Shows how
   * many promise rejections went unhandled since the start (each one a bug, logged, survived).
   */
  @Public()
  @Get('health')
  @HealthCheck()
  async live() {
    return this.health.check([
      async () => ({ process: { status: 'up' as const, unhandledRejections: unhandledRejectionCount() } }),
    ]);
  }

  /** Readiness: every dependency this service needs answers now. 503 names the ones that do not. */
  @Public()
  @Get('ready')
  @HealthCheck()
  async ready() {
    // From SIGTERM on: out of the load balancer at once, whatever the dependencies say.
    const draining = async () => {
      const session = this.indicators.check('shutdown');
      return isShuttingDown() ? session.down({ message: 'shutting down' }) : session.up();
    };
    const results = await Promise.all([draining(), ...this.checks.map(async (c) => c.check())]);
    for (const result of results) {
      for (const [name, detail] of Object.entries(result))
        readinessCheck.set({ check: name }, detail.status === 'up' ? 1 : 0);
    }
    try {
      const report = await this.health.check(results.map((result) => async () => result));
      readiness.set(1);
      return report;
    } catch (error) {
      readiness.set(0);
      throw error;
    }
  }
}

@Module({})
export class HealthModule {
  static forRoot(checks: Type<ReadinessCheck>[], imports: DynamicModule['imports'] = []): DynamicModule {
    const collect: Provider = {
      provide: READINESS_CHECKS,
      useFactory: (...instances: ReadinessCheck[]) => instances,
      inject: checks,
    };
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...imports],
      controllers: [HealthController],
      providers: [...checks, collect],
    };
  }
}
