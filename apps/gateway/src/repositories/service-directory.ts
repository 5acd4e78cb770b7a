import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { probe, ReadinessCheck } from '@cp/platform';
import { GatewayConfig } from '../config';

export type ServiceName = 'contacts' | 'invites' | 'notifications' | 'files' | 'audit';

/** Where each internal service answers. */
@Injectable()
export class ServiceDirectory {
  readonly urls: Record<ServiceName, string>;

  constructor(config: GatewayConfig) {
    this.urls = {
      contacts: config.CONTACTS_URL,
      invites: config.INVITES_URL,
      notifications: config.NOTIFICATIONS_URL,
      files: config.FILES_URL,
      audit: config.AUDIT_URL,
    };
  }
}

/** The gateway can serve traffic when every service it routes to answers. */
@Injectable()
export class ServicesReadiness implements ReadinessCheck {
  constructor(
    private readonly directory: ServiceDirectory,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const results = await Promise.all(
      (Object.entries(this.directory.urls) as [ServiceName, string][]).map(async ([name, url]) =>
        probe(this.indicators, name, url, async () => {
          const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
          if (!res.ok) throw new Error(`status ${res.status}`);
        }),
      ),
    );
    return Object.assign({}, ...results) as HealthIndicatorResult;
  }
}
