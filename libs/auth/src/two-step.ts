import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { createEvent, DomainError, ErrorCode, EventData, OutboxEvent, Topic } from '@cp/contracts';
import { currentCorrelationId } from '@cp/platform';
import { outboxPlugin, withEvents, WithOutbox } from '@cp/messaging';
import type { Model, Schema as MongooseSchema } from 'mongoose';
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { issueOpaqueToken, parseOpaqueToken, secretMatches } from './opaque-tokens';

/** A challenge (and the emailed code) lives 10 minutes and takes 5 tries. */
export const CHALLENGE_TTL_MS = 10 * 60_000;
export const CHALLENGE_MAX_ATTEMPTS = 5;
/** "Trust this browser": 30 days. */
export const TRUSTED_DEVICE_TTL_MS = 30 * 24 * 3600_000;

export type TwoStepMethod = 'email' | 'totp' | 'totp-enrol';

/**
 * The state between a verified password and the second step. The client holds
 * `<id>.<secret>` (the challenge token); only sha256(secret) and, for an emailed code, a hash of
 * the code are stored. It carries an outbox so the email command rides the same write.
 */
@Schema({ versionKey: false, timestamps: true })
export class TwoStepChallenge implements WithOutbox {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  /** A staff user id, or a portal account id. */
  @Prop({ required: true }) subjectId!: string;
  @Prop({ type: String, required: true }) method!: TwoStepMethod;
  @Prop({ required: true }) secretHash!: string;
  @Prop({ type: String, default: null }) codeHash!: string | null;
  @Prop({ default: 0 }) attempts!: number;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) usedAt!: Date | null;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export function twoStepChallengeSchema(collection: string): MongooseSchema<TwoStepChallenge> {
  const schema = SchemaFactory.createForClass(TwoStepChallenge).set('collection', collection);
  schema.plugin(outboxPlugin);
  return schema;
}

/** Six digits, uniformly drawn. */
export function sixDigitCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** Salted by the challenge id, so one code's hash says nothing about another challenge. */
const codeHash = (challengeId: string, code: string) =>
  createHash('sha256').update(`${challengeId}:${code}`).digest('base64url');

const expired = () =>
  new DomainError(ErrorCode.TwoStepExpired, 'This sign-in has expired or was already used. Sign in again.');

/** Opens, checks and spends second-step challenges: single use, 10 minutes, 5 attempts. */
export class TwoStepChallenges {
  constructor(
    private readonly challenges: Model<TwoStepChallenge>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A new challenge; `code` (emailed) is hashed; `events(id)` are stored with it. */
  async open(input: {
    firmId: string;
    subjectId: string;
    method: TwoStepMethod;
    code?: string;
    events?: (challengeId: string, expiresAt: Date) => OutboxEvent[];
  }): Promise<{ token: string; challengeId: string; expiresAt: Date }> {
    const token = issueOpaqueToken(randomUUID());
    const expiresAt = new Date(this.now().getTime() + CHALLENGE_TTL_MS);
    await this.challenges.create(
      withEvents(
        {
          _id: token.id,
          firmId: input.firmId,
          subjectId: input.subjectId,
          method: input.method,
          secretHash: token.hash,
          codeHash: input.code ? codeHash(token.id, input.code) : null,
          attempts: 0,
          expiresAt,
          usedAt: null,
        },
        input.events?.(token.id, expiresAt) ?? [],
      ),
    );
    return { token: token.value, challengeId: token.id, expiresAt };
  }

  /**
   * Counts one attempt (before the code is looked at, so parallel guesses cannot exceed five).
   * Answers the live challenge, or why it is refused (TWO_STEP_EXPIRED, TWO_STEP_TOO_MANY_ATTEMPTS)
   * with the challenge when it is known, so the caller can record whose sign-in failed.
   */
  async attempt(
    presented: string,
  ): Promise<
    { challenge: TwoStepChallenge; refused?: undefined } | { challenge: TwoStepChallenge | null; refused: DomainError }
  > {
    const found = await this.find(presented);
    if (!found) return { challenge: null, refused: expired() };
    if (found.usedAt || found.expiresAt.getTime() <= this.now().getTime())
      return { challenge: found, refused: expired() };
    const counted = await this.challenges
      .findOneAndUpdate(
        { _id: found._id, usedAt: null, attempts: { $lt: CHALLENGE_MAX_ATTEMPTS } },
        { $inc: { attempts: 1 } },
        { new: true },
      )
      .lean<TwoStepChallenge>()
      .exec();
    if (!counted) return { challenge: found, refused: tooManyAttempts() };
    return { challenge: counted };
  }

  /** The live challenge of a token without counting an attempt (TOTP enrolment during sign-in). */
  async live(presented: string, method: TwoStepMethod): Promise<TwoStepChallenge> {
    const found = await this.find(presented);
    if (!found || found.method !== method || found.usedAt || found.expiresAt.getTime() <= this.now().getTime())
      throw expired();
    if (found.attempts >= CHALLENGE_MAX_ATTEMPTS) throw tooManyAttempts();
    return found;
  }

  private async find(presented: string): Promise<TwoStepChallenge | null> {
    const parsed = parseOpaqueToken(presented);
    const found = parsed && (await this.challenges.findById(parsed.id).lean<TwoStepChallenge>().exec());
    return parsed && found && secretMatches(parsed.secret, found.secretHash) ? found : null;
  }

  /** Whether the emailed code is the challenge's. */
  codeMatches(challenge: TwoStepChallenge, code: string): boolean {
    return challenge.codeHash !== null && challenge.codeHash === codeHash(challenge._id, code);
  }

  /** A wrong code: the error to answer, saying when the challenge is now locked. */
  wrongCode(challenge: TwoStepChallenge): DomainError {
    if (challenge.attempts >= CHALLENGE_MAX_ATTEMPTS) return tooManyAttempts();
    return new DomainError(ErrorCode.TwoStepCodeInvalid, 'That code is not right. Check it and try again.', {
      attemptsLeft: CHALLENGE_MAX_ATTEMPTS - challenge.attempts,
    });
  }

  /** Single use: only the one request that marks it used goes on. */
  async spend(challenge: TwoStepChallenge): Promise<void> {
    const spent = await this.challenges
      .updateOne({ _id: challenge._id, usedAt: null }, { $set: { usedAt: this.now() } })
      .exec();
    if (spent.modifiedCount !== 1) throw expired();
  }
}

const tooManyAttempts = () =>
  new DomainError(ErrorCode.TwoStepTooManyAttempts, 'Too many wrong codes. Sign in again to get a new one.');

/**
 * "Trust this browser for 30 days": the browser holds `<id>.<secret>` in an httpOnly cookie;
 * the server keeps sha256(secret), whose account it is, and when it ends, so one device, or all
 * of an account's (on a password change), can be revoked.
 */
@Schema({ versionKey: false, timestamps: true })
export class TrustedDevice {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) firmId!: string;
  @Prop({ required: true, index: true }) subjectId!: string;
  @Prop({ required: true }) secretHash!: string;
  @Prop({ required: true }) expiresAt!: Date;
  @Prop({ type: Date, default: null }) revokedAt!: Date | null;
}

export function trustedDeviceSchema(collection: string): MongooseSchema<TrustedDevice> {
  return SchemaFactory.createForClass(TrustedDevice).set('collection', collection);
}

export class TrustedDevices {
  constructor(
    private readonly devices: Model<TrustedDevice>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async trust(subject: { firmId: string; subjectId: string }): Promise<string> {
    const token = issueOpaqueToken(randomUUID());
    await this.devices.create({
      _id: token.id,
      ...subject,
      secretHash: token.hash,
      expiresAt: new Date(this.now().getTime() + TRUSTED_DEVICE_TTL_MS),
      revokedAt: null,
    });
    return token.value;
  }

  /** Whether the presented device token is a live one of this account. */
  async isTrusted(presented: string | undefined, subjectId: string): Promise<boolean> {
    const parsed = presented ? parseOpaqueToken(presented) : null;
    if (!parsed) return false;
    const device = await this.devices.findById(parsed.id).lean<TrustedDevice>().exec();
    return (
      !!device &&
      device.subjectId === subjectId &&
      device.revokedAt === null &&
      device.expiresAt.getTime() > this.now().getTime() &&
      secretMatches(parsed.secret, device.secretHash)
    );
  }

  /** Ends every trusted device of the account (password changed or reset, second step reset). */
  async revokeAll(firmId: string, subjectId: string): Promise<number> {
    const ended = await this.devices
      .updateMany({ firmId, subjectId, revokedAt: null }, { $set: { revokedAt: this.now() } })
      .exec();
    return ended.modifiedCount;
  }
}

/**
 * Sign-in events have no aggregate of their own (a failure may name no account), so each is
 * stored as a small record carrying its outbox: one insert is the record and the event.
 */
@Schema({ versionKey: false, timestamps: true })
export class AccountActivity implements WithOutbox {
  @Prop({ type: String, default: () => randomUUID() }) _id!: string;
  /** Empty for a staff sign-in failure with an address no firm has (mongoose's `required` refuses ''). */
  @Prop({ type: String, default: '' }) firmId!: string;
  @Prop({ type: String, default: null }) accountId!: string | null;
  @Prop({ required: true }) type!: string;
  pendingEvents!: WithOutbox['pendingEvents'];
  outboxPending!: boolean;
}

export function accountActivitySchema(collection: string): MongooseSchema<AccountActivity> {
  const schema = SchemaFactory.createForClass(AccountActivity).set('collection', collection);
  schema.plugin(outboxPlugin);
  return schema;
}

type AccountTopic = Topic.SignInSucceeded | Topic.SignInFailed | Topic.TwoStepChanged;

/** Records account events through the owning service's outbox, keyed by the account id. */
export class AccountActivityLog {
  constructor(private readonly records: Model<AccountActivity>) {}

  async record<T extends AccountTopic>(topic: T, firmId: string, data: EventData<T>): Promise<void> {
    const event = createEvent({
      topic,
      firmId,
      correlationId: currentCorrelationId() ?? randomUUID(),
      // A failure that names no account still needs a key: all of those share one.
      key: data.accountId ?? 'unknown-account',
      data,
    });
    await this.records.create(withEvents({ firmId, accountId: data.accountId, type: event.envelope.type }, [event]));
  }
}
