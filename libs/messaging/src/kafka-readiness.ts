import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { probe, ReadinessCheck } from '@cp/platform';
import { Kafka } from 'kafkajs';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

@Injectable()
export class KafkaReadiness implements ReadinessCheck {
  constructor(
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
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
