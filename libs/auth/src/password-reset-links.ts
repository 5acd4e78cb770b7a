import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { DomainError, ErrorCode, OutboxEvent } from '@cp/contracts';
import { outboxPlugin, withEvents, WithOutbox } from '@cp/messaging';
import type { Model, Schema as MongooseSchema } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { issueOpaqueToken, parseOpaqueToken, secretMatches } from './opaque-tokens';

/** A reset link lives 30 minutes. */
export const RESET_LINK_TTL_MS = 30 * 60 * 1000;

/**
 * One emailed password-reset link, staff or portal: `<id>.<secret>` (256 random bits), of which
 * only sha256(secret) is stored. The document carries the sealed email command in its own outbox,
 * so "link stored" and "email requested" are one write. A newer link of the same account
 * supersedes it; using it stamps `usedAt` once.
 */
@Schema({ versionKey: false })
export class PasswordResetLink implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string;
  /** Whose password: a staff user id, or a portal account id. */
  @Prop({ required: true }) subjectId!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) secretHash!: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) usedAt!: Date | null;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

/** The link schema in a collection of the service's choosing (`staff_password_resets`, `portal_password_resets`). */
export function passwordResetLinkSchema(collection: string): MongooseSchema<PasswordResetLink> {
  const schema = SchemaFactory.createForClass(PasswordResetLink).set('collection', collection);
  schema.plugin(outboxPlugin);
  schema.index({ subjectId: 1, createdAt: -1 });
  return schema;
}

export interface IssuedResetLink {
  id: string;
  /** The bearer value for the URL; never stored, only sealed into the email command. */
  token: string;
  expiresAt: Date;
}

const problem = (code: ErrorCode, message: string) => new DomainError(code, message);

/** Issue a link (with its email command), check one, and use it up once. */
export class PasswordResetLinks {
  constructor(
    private readonly links: Model<PasswordResetLink>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async issue(
    subject: { subjectId: string; firmId: string },
    events: (link: IssuedResetLink) => OutboxEvent[],
  ): Promise<IssuedResetLink> {
    const token = issueOpaqueToken(randomUUID());
    const createdAt = this.now();
    const link = { id: token.id, token: token.value, expiresAt: new Date(createdAt.getTime() + RESET_LINK_TTL_MS) };
    await this.links.create(
      withEvents(
        { _id: token.id, ...subject, secretHash: token.hash, createdAt, expiresAt: link.expiresAt, usedAt: null },
        events(link),
      ),
    );
    return link;
  }

  /**
   * The link a token names, if it can still be used; otherwise a problem saying why: unknown,
   * used, expired, or superseded by a newer link of the same account. Writes nothing.
   */
  async check(presented: string): Promise<PasswordResetLink> {
    const parsed = parseOpaqueToken(presented);
    const link = parsed && (await this.links.findById(parsed.id).lean<PasswordResetLink>().exec());
    if (!parsed || !link || !secretMatches(parsed.secret, link.secretHash)) {
      throw problem(ErrorCode.ResetLinkInvalid, 'This password-reset link is not valid.');
    }
    if (link.usedAt) throw problem(ErrorCode.ResetLinkUsed, 'This password-reset link was used already.');
    if (link.expiresAt.getTime() <= this.now().getTime()) {
      throw problem(ErrorCode.ResetLinkExpired, 'This password-reset link has expired. Ask for a new one.');
    }
    const newer = await this.links
      .findOne({ subjectId: link.subjectId, firmId: link.firmId, createdAt: { $gt: link.createdAt } }, { _id: 1 })
      .lean()
      .exec();
    if (newer) {
      throw problem(ErrorCode.ResetLinkSuperseded, 'A newer password-reset link was sent. Use the latest email.');
    }
    return link;
  }

  /** Single use: only the one request that stamps `usedAt` goes on. */
  async use(link: PasswordResetLink): Promise<void> {
    const marked = await this.links.updateOne({ _id: link._id, usedAt: null }, { $set: { usedAt: this.now() } });
    if (marked.modifiedCount !== 1)
      throw problem(ErrorCode.ResetLinkUsed, 'This password-reset link was used already.');
  }
}
