import { Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { beforeScrape } from '@cp/platform';
import { emailQueueDepth, emailQueueOldestAge } from '../metrics';
import { DeliveryRepository } from '../repositories/delivery.repository';

/** Refreshes the delivery queue's depth and age from the database before each scrape. */
@Injectable()
export class EmailQueueGauges implements OnApplicationBootstrap, OnModuleDestroy {
  private stop?: () => void;

  constructor(private readonly deliveries: DeliveryRepository) {}

  onApplicationBootstrap(): void {
    this.stop = beforeScrape(async () => {
      const { depth, oldestCreatedAt } = await this.deliveries.queueBacklog();
      emailQueueDepth.set(depth);
      emailQueueOldestAge.set(oldestCreatedAt ? Math.max(0, (Date.now() - oldestCreatedAt.getTime()) / 1000) : 0);
    });
  }

  onModuleDestroy(): void {
    this.stop?.();
  }
}
