import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  AccountActivity,
  AccountActivityLog,
  keyFromBase64,
  seal,
  sixDigitCode,
  TrustedDevice,
  TrustedDevices,
  TwoStepChallenge,
  TwoStepChallenges,
} from '@cp/auth';
import {
  createEvent,
  DomainError,
  ErrorCode,
  PortalSignInDto,
  PortalSignInOutcome,
  SignInSucceededData,
  Topic,
  TwoStepInternalDto,
} from '@cp/contracts';
import { currentCorrelationId, FirmScope, firmScope } from '@cp/platform';
import { Model } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { InvitesConfig } from '../config';
import { toPortalAccountView } from '../controllers/views';
import { PortalAccountRepository } from '../repositories/portal-account.repository';
import { PortalAccount } from '../repositories/portal-account.schema';
import { Clock } from './clock';
import { PortalAccess } from './portal-access.use-case';
import { PortalSessions } from './portal-sessions.use-case';

export const PORTAL_CHALLENGE_MODEL = 'PortalTwoStepChallenge';
export const PORTAL_DEVICE_MODEL = 'PortalTrustedDevice';
export const PORTAL_ACTIVITY_MODEL = 'PortalAccountActivity';

interface Origin {
  ip?: string | null;
  userAgent?: string | null;
}

const originOf = (input: Origin) => ({ ip: input.ip ?? null, userAgent: input.userAgent ?? null });

/**
 * Portal sign-in: the password, then (when the firm requires it, or the contact chose it) a
 * six-digit code by email, unless this browser is trusted. Every outcome is an event.
 */
@Injectable()
export class PortalSignIn {
  private readonly challenges: TwoStepChallenges;
  private readonly devices: TrustedDevices;
  private readonly activity: AccountActivityLog;
  private readonly codeKey: Buffer;

  constructor(
    @InjectModel(PORTAL_CHALLENGE_MODEL) challenges: Model<TwoStepChallenge>,
    @InjectModel(PORTAL_DEVICE_MODEL) devices: Model<TrustedDevice>,
    @InjectModel(PORTAL_ACTIVITY_MODEL) activity: Model<AccountActivity>,
    private readonly accounts: PortalAccountRepository,
    private readonly access: PortalAccess,
    private readonly sessions: PortalSessions,
    clock: Clock,
    config: InvitesConfig,
  ) {
    const now = () => clock.now();
    this.challenges = new TwoStepChallenges(challenges, now);
    this.devices = new TrustedDevices(devices, now);
    this.activity = new AccountActivityLog(activity);
    this.codeKey = keyFromBase64(config.INVITE_LINK_KEY);
  }

  async signIn(input: PortalSignInDto): Promise<PortalSignInOutcome> {
    const origin = originOf(input);
    const { account, known } = await this.access.verify(input);
    if (!account) {
      await this.activity.record(Topic.SignInFailed, input.firmId, {
        accountId: known?.contactId ?? null,
        accountKind: 'contact',
        ...origin,
        stage: 'password',
        reason: 'bad-credentials',
      });
      throw new DomainError(ErrorCode.Unauthenticated, 'Email or password is incorrect.');
    }
    const due =
      input.portalTwoStep === 'required' || (input.portalTwoStep === 'optional' && account.twoStepEnabled === true);
    if (!due) return this.finish(account, 'none', origin, false);
    if (await this.devices.isTrusted(input.deviceToken, account._id))
      return this.finish(account, 'trusted-device', origin, false);

    const code = sixDigitCode();
    const { token } = await this.challenges.open({
      firmId: account.firmId,
      subjectId: account._id,
      method: 'email',
      code,
      events: (challengeId, expiresAt) => [
        createEvent({
          topic: Topic.TwoStepCodeRequested,
          firmId: account.firmId,
          correlationId: currentCorrelationId() ?? randomUUID(),
          key: account.contactId,
          data: {
            challengeId,
            contactId: account.contactId,
            to: account.email,
            firmName: input.firmName,
            expiresAt: expiresAt.toISOString(),
            sealedCode: seal(this.codeKey, code),
          },
        }),
      ],
    });
    return { status: 'challenge', challengeToken: token, method: 'email' };
  }

  async twoStep(input: TwoStepInternalDto): Promise<PortalSignInOutcome> {
    const origin = originOf(input);
    const { challenge, refused } = await this.challenges.attempt(input.challengeToken);
    const account = challenge && (await this.accounts.findById(firmScope(challenge.firmId), challenge.subjectId));
    const fail = async (error: DomainError, reason: string) => {
      if (challenge && account) {
        await this.activity.record(Topic.SignInFailed, challenge.firmId, {
          accountId: account.contactId,
          accountKind: 'contact',
          ...origin,
          stage: 'second-step',
          reason,
        });
      }
      return error;
    };
    if (refused) {
      throw await fail(refused, refused.code === ErrorCode.TwoStepTooManyAttempts ? 'too-many-attempts' : 'expired');
    }
    if (challenge.method !== 'email' || !account) throw await fail(this.challenges.wrongCode(challenge), 'bad-code');
    if (!this.challenges.codeMatches(challenge, input.code)) {
      const error = this.challenges.wrongCode(challenge);
      throw await fail(error, error.code === ErrorCode.TwoStepTooManyAttempts ? 'too-many-attempts' : 'bad-code');
    }
    await this.challenges.spend(challenge);
    return this.finish(account, 'email', origin, input.trustDevice === true);
  }

  /** The contact's own choice, used when the firm leaves it to them (`optional`). */
  async setPreference(scope: FirmScope, accountId: string, enabled: boolean): Promise<PortalAccount> {
    const account = await this.accounts.setTwoStepEnabled(scope, accountId, enabled);
    if (!account) throw new DomainError(ErrorCode.NotFound, 'No such portal account.');
    return account;
  }

  /** A password change or reset ends every browser the contact trusted. */
  async forgetDevices(scope: FirmScope, contactId: string): Promise<void> {
    const account = await this.accounts.findByContact(scope, contactId);
    if (account) await this.devices.revokeAll(scope.firmId, account._id);
  }

  private async finish(
    account: PortalAccount,
    secondStep: SignInSucceededData['secondStep'],
    origin: { ip: string | null; userAgent: string | null },
    trustDevice: boolean,
  ): Promise<PortalSignInOutcome> {
    const succeeded = createEvent({
      topic: Topic.SignInSucceeded,
      firmId: account.firmId,
      correlationId: currentCorrelationId() ?? randomUUID(),
      key: account.contactId,
      data: { accountId: account.contactId, accountKind: 'contact', ...origin, secondStep },
    });
    // The login and its event are one write on the account.
    const signedIn = await this.access.recordLogin(account, [succeeded]);
    const refreshToken = await this.sessions.start(firmScope(account.firmId), account._id);
    const deviceToken = trustDevice
      ? await this.devices.trust({ firmId: account.firmId, subjectId: account._id })
      : undefined;
    return { status: 'signed-in', account: toPortalAccountView(signedIn), refreshToken, deviceToken };
  }
}
