import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { probe, ReadinessCheck } from '@cp/platform';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
/** The client /ready asks with: one try, a short connect timeout, silent (the probe reports). */
export const KAFKA_PROBE_CLIENT = Symbol('KAFKA_PROBE_CLIENT');

/**
 * The probe's client settings. An admin's connect retries with its client's `retry` (its own
 * `retry` option only covers admin requests): with the service's 8 retries a refused broker kept
 * the probe busy until its timeout, so a busy service answered /ready later than the caller waits,
 * and every probe left a client retrying in the background for half a minute.
 */
export function kafkaProbeConfig(config: KafkaConfig): KafkaConfig {
  return {
    ...config,
    clientId: `${config.clientId ?? 'kafka'}-probe`,
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  };
}

@Injectable()
export class KafkaReadiness implements ReadinessCheck {
  constructor(
    @Inject(KAFKA_PROBE_CLIENT) private readonly kafka: Kafka,
    private readonly indicators: HealthIndicatorService,
    @Inject('KAFKA_BROKERS') private readonly brokers: string,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    return probe(this.indicators, 'kafka', this.brokers, async () => {
      const admin = this.kafka.admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
        await admin.describeCluster();
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    });
  }
}
