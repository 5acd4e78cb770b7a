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

  /**
   * Stores many new invites, each with its own events, in one unordered insertMany. Answers the
   * ones stored; an invite that could not be stored is left out (the caller reports it).
   */
  async insertMany(scope: FirmScope, items: { invite: NewInvite; events: OutboxEvent[] }[]): Promise<Invite[]> {
    const docs = items.map(({ invite, events }) => withEvents({ ...invite, firmId: scope.firmId }, events));
    try {
      return (await this.invites.insertMany(docs, { ordered: false, throwOnValidationError: true })).map((d) =>
        d.toObject<Invite>(),
      );
    } catch (error) {
      const inserted = (error as { insertedDocs?: { toObject?: () => Invite }[] }).insertedDocs;
      if (!Array.isArray(inserted)) throw error;
      return inserted.map((d) => (typeof d.toObject === 'function' ? d.toObject() : (d as unknown as Invite)));
    }
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

  /** The pending invite of each of these contacts, in one query (index firmId, contactId, status). */
  async findPendingForMany(scope: FirmScope, contactIds: string[]): Promise<Map<string, Invite>> {
    const found = await this.invites
      .find(scoped<Invite>(scope, { contactId: { $in: contactIds }, status: 'pending' }), { pendingEvents: 0 })
      .lean<Invite[]>()
      .exec();
    return new Map(found.map((invite) => [invite.contactId, invite]));
  }

  /**
   * Many conditional changes in one bulkWrite; each applies only if its invite is still in one of
   * `from` and matches `extra`. Answers the ids whose change applied, told by `mark` (a field the
   * change sets to a value no other write sets, such as a fresh token hash).
   */
  async transitionMany(
    changes: {
      inviteId: string;
      from: InviteStatus[];
      set: Partial<Invite>;
      events: OutboxEvent[];
      extra?: Record<string, unknown>;
    }[],
    mark: 'tokenHash',
  ): Promise<Set<string>> {
    if (changes.length === 0) return new Set();
    await this.invites.bulkWrite(
      changes.map((c) => ({
        updateOne: {
          filter: { _id: c.inviteId, status: { $in: c.from }, ...c.extra },
          update: appendEvents<Invite>({ $set: c.set }, c.events),
        },
      })),
      { ordered: false },
    );
    const now = await this.invites
      .find({ _id: { $in: changes.map((c) => c.inviteId) } }, { [mark]: 1 })
      .lean<Pick<Invite, '_id' | 'tokenHash'>[]>()
      .exec();
    const stored = new Map(now.map((d) => [d._id, d[mark]]));
    return new Set(changes.filter((c) => stored.get(c.inviteId) === c.set[mark]).map((c) => c.inviteId));
  }

  /** The link holder does not know the firm yet: the invite id inside the token finds it. */
  /** The contact's latest invite: the firm's name and look, and the contact's name, for account emails. */
  async findLatestFor(scope: FirmScope, contactId: string): Promise<Invite | null> {
    return this.invites
      .findOne(scoped<Invite>(scope, { contactId }), { pendingEvents: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .lean<Invite>()
      .exec();
  }

  /**
   * Stamps a new-link request with its event, unless one was stamped within the window: the
   * check and the write are one update, so a burst of requests records (and emails) once.
   */
  async recordNewLinkRequest(invite: Invite, at: Date, windowStart: Date, events: OutboxEvent[]): Promise<boolean> {
    const result = await this.invites.updateOne(
      {
        _id: invite._id,
        firmId: invite.firmId,
        status: invite.status,
        tokenHash: invite.tokenHash,
        $or: [{ newLinkRequestedAt: null }, { newLinkRequestedAt: { $lte: windowStart } }],
      },
      appendEvents<Invite>({ $set: { newLinkRequestedAt: at } }, events),
    );
    return result.modifiedCount === 1;
  }

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

  /** Pending invites whose date has passed, a batch at a time (index status, expiresAt). */
  async findExpired(now: Date, limit: number): Promise<Invite[]> {
    return this.invites
      .find({ status: 'pending', expiresAt: { $lte: now } }, { pendingEvents: 0 })
      .limit(limit)
      .lean<Invite[]>()
      .exec();
  }

  /**
   * Marks a batch of invites expired in one bulkWrite, each with its own event. The filter keeps
   * each change atomic against an accept, a resend or another replica's sweep; answers how many changed.
   */
  async expireMany(now: Date, expiring: { inviteId: string; event: OutboxEvent }[]): Promise<number> {
    if (expiring.length === 0) return 0;
    const result = await this.invites.bulkWrite(
      expiring.map(({ inviteId, event }) => ({
        updateOne: {
          filter: { _id: inviteId, status: 'pending' as const, expiresAt: { $lte: now } },
          update: appendEvents<Invite>({ $set: { status: 'expired' } }, [event]),
        },
      })),
      { ordered: false },
    );
    return result.modifiedCount;
  }
}
