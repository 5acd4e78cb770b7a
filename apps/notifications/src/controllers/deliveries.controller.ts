import { Controller, Get, Param, Query } from '@nestjs/common';
import { DEFAULT_PAGE_SIZE, DeliveryView, ListNotificationsQueryDto, Page } from '@cp/contracts';
import { firmScope, toPage } from '@cp/platform';
import { DeliveryRepository } from '../repositories/delivery.repository';
import { Delivery } from '../repositories/delivery.schema';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/** No payload (it holds the sealed link) and no outbox in what the firm sees. */
const toDeliveryView = (d: Delivery): DeliveryView => ({
  id: d._id,
  kind: d.kind,
  inviteId: d.inviteId,
  contactId: d.contactId,
  to: d.to,
  status: d.status,
  attempts: d.attempts,
  interruptedAttempts: d.interruptedAttempts ?? 0,
  lastError: d.lastError,
  sentAt: iso(d.sentAt),
  createdAt: new Date(d.createdAt).toISOString(),
  updatedAt: new Date(d.updatedAt).toISOString(),
});

/** The delivery log: what became of each email. */
@Controller('firms/:firmId/notifications')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveryRepository) {}

  @Get()
  async list(@Param('firmId') firmId: string, @Query() query: ListNotificationsQueryDto): Promise<Page<DeliveryView>> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { contactId, inviteId, status, cursor } = query;
    const fetched = await this.deliveries.page(firmScope(firmId), { contactId, inviteId, status }, { cursor, limit });
    return toPage(fetched, limit, toDeliveryView);
  }
}
