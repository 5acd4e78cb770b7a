import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { InviteStatus, OutboxEvent } from '@cp/contracts';
import { appendEvents, DeliveryOutcome, newerOutcome, withEvents } from '@cp/messaging';
import { afterCursor, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { Invite } from './invite.schema';

export type NewInvite = Omit<
  Invite,
  'firmId' | 'createdAt' | 'updatedAt' | 'pendingEvents' | 'outboxPending' | 'acceptedAt' | 'revokedAt'
>;

@Injectable()
export class InviteRepository {
  constructor(@InjectModel(Invite.name) private readonly invites: Model<Invite>) {}

  async insert(scope: FirmScope, invite: NewInvite, events: OutboxEvent[]): Promise<Invite> {
    return (await this.invites.create(withEvents({ ...invite, firmId: scope.firmId }, events))).toObject();
  }

  async findById(scope: FirmScope, id: string): Promise<Invite | null> {
    return this.invites
      .findOne(scoped<Invite>(scope, { _id: id }))
      .lean<Invite>()
      .exec();
  }

  async findPendingFor(scope: FirmScope, contactId: string): Promise<Invite | null> {
    return this.invites
      .findOne(scoped<Invite>(scope, { contactId, status: 'pending' }))
      .lean<Invite>()
      .exec();
  }

  /** The link holder does not know the firm yet: the invite id inside the token finds it. */
  async findForToken(inviteId: string): Promise<Invite | null> {
    return this.invites.findById(inviteId).lean<Invite>().exec();
  }

  async page(
    scope: FirmScope,
    filter: { status?: InviteStatus; clientId?: string; contactId?: string },
    options: { cursor?: string; limit: number },
  ): Promise<Invite[]> {
    const where = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    return this.invites
      .find(scoped<Invite>(scope, { ...where, ...afterCursor(options.cursor) }), { pendingEvents: 0 })
      .sort(PAGE_ORDER)
      .limit(options.limit + 1)
      .lean<Invite[]>()
      .exec();
  }

  /**
   * Changes an invite only if it is still in one of `from` states: the check and the write are
   * one atomic update, so two accepts (or an accept and a revoke) cannot both win.
   */
  async transition(
    inviteId: string,
    from: InviteStatus[],
    set: Partial<Invite>,
    events: OutboxEvent[],
    extra: Record<string, unknown> = {},
  ): Promise<Invite | null> {
    return this.invites
      .findOneAndUpdate(
        { _id: inviteId, status: { $in: from }, ...extra },
        appendEvents<Invite>({ $set: set }, events),
        { new: true },
      )
      .lean<Invite>()
      .exec();
  }

  async recordEmail(scope: FirmScope, inviteId: string, outcome: DeliveryOutcome): Promise<void> {
    const { filter, update } = newerOutcome('lastEmail', outcome);
    await this.invites.updateOne(scoped<Invite>(scope, { _id: inviteId, ...filter }), update);
  }

  /** Pending invites whose date has passed, a batch at a time. */
  async findExpired(now: Date, limit: number): Promise<Invite[]> {
    return this.invites
      .find({ status: 'pending', expiresAt: { $lte: now } }, { pendingEvents: 0 })
      .limit(limit)
      .lean<Invite[]>()
      .exec();
  }
}
