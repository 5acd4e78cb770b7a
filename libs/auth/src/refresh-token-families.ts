import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { DomainError, ErrorCode } from '@cp/contracts';
import type { Model, Schema as MongooseSchema } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { issueOpaqueToken, parseOpaqueToken, secretMatches } from './opaque-tokens';

/**
 * One refresh token, staff or portal. Tokens of one sign-in form a family: each rotation marks
 * the old token used and issues the next; presenting a used token means it leaked, so the
 * whole family is revoked. Only sha256 of the secret is stored.
 */
@Schema({ versionKey: false })
export class RefreshSession {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true, index: true }) familyId!: string;
  /** Whose session: a staff user id, or a portal account id. */
  @Prop({ required: true }) subjectId!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true }) secretHash!: string;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) usedAt!: Date | null;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
}

/** The session schema in a collection of the service's choosing (`staff_sessions`, `portal_sessions`). */
export function refreshSessionSchema(collection: string): MongooseSchema<RefreshSession> {
  return SchemaFactory.createForClass(RefreshSession).set('collection', collection);
}

const rejected = () => new DomainError(ErrorCode.Unauthenticated, 'The refresh token is not valid. Sign in again.');

/** Issue a family at sign-in, rotate on each use, revoke the family when a used token comes back. */
export class RefreshTokenFamilies {
  constructor(
    private readonly sessions: Model<RefreshSession>,
    private readonly ttlSeconds: number,
    /** Told of a reused token (its family is already revoked), e.g. to log it. */
    private readonly onReuse: (session: RefreshSession) => void = () => undefined,
  ) {}

  /** A new refresh token for the subject: a new family, or the next token of one. */
  async issue(subject: { subjectId: string; firmId: string }, familyId: string = randomUUID()): Promise<string> {
    const token = issueOpaqueToken(randomUUID());
    const now = new Date();
    await this.sessions.create({
      _id: token.id,
      familyId,
      ...subject,
      secretHash: token.hash,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
    });
    return token.value;
  }

  /** Spends a refresh token: the session it belonged to, and the next token of its family. */
  async rotate(presented: string): Promise<{ session: RefreshSession; refreshToken: string }> {
    const parsed = parseOpaqueToken(presented);
    const session = parsed && (await this.sessions.findById(parsed.id).lean<RefreshSession>().exec());
    if (!parsed || !session || !secretMatches(parsed.secret, session.secretHash)) throw rejected();
    const now = new Date();
    if (session.revokedAt || session.expiresAt.getTime() <= now.getTime()) throw rejected();
    // Only the first presenter moves usedAt off null; anyone after holds a copy of a spent token.
    const marked = await this.sessions.updateOne(
      { _id: session._id, usedAt: null, revokedAt: null },
      { $set: { usedAt: now } },
    );
    if (marked.modifiedCount !== 1) {
      await this.revokeFamily(session.familyId);
      this.onReuse(session);
      throw rejected();
    }
    return {
      session,
      refreshToken: await this.issue({ subjectId: session.subjectId, firmId: session.firmId }, session.familyId),
    };
  }

  /**
   * Sign out: ends the family of a presented token, used or not. An unknown or forged token ends
   * nothing and is not an error, so signing out twice (or with a stale cookie) answers the same.
   */
  async end(presented: string): Promise<void> {
    const parsed = parseOpaqueToken(presented);
    const session = parsed && (await this.sessions.findById(parsed.id).lean<RefreshSession>().exec());
    if (!parsed || !session || !secretMatches(parsed.secret, session.secretHash)) return;
    await this.revokeFamily(session.familyId);
  }

  /** Ends every family of one account (a password change), but the one named in `keep`, if any. */
  async revokeAllOf(subject: { subjectId: string; firmId: string }, keep?: string): Promise<void> {
    const filter = { subjectId: subject.subjectId, firmId: subject.firmId, revokedAt: null };
    await this.sessions.updateMany(keep ? { ...filter, familyId: { $ne: keep } } : filter, {
      $set: { revokedAt: new Date() },
    });
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.sessions.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } });
  }
}
