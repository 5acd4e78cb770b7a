import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import {
  AccountActivity,
  AccountActivityLog,
  keyFromBase64,
  seal,
  sha256,
  TrustedDevice,
  TrustedDevices,
  TwoStepChallenge,
  TwoStepChallenges,
  unseal,
} from '@cp/auth';
import {
  DomainError,
  ErrorCode,
  LEGACY_FIRM_SECURITY,
  SecuritySettings,
  SignInSucceededData,
  StaffSignInDto,
  StaffSignInOutcome,
  StaffTwoStepStatus,
  Topic,
  TotpEnrolment,
  TwoStepInternalDto,
} from '@cp/contracts';
import { FirmScope, firmScope } from '@cp/platform';
import { Model } from 'mongoose';
import { randomInt } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import { toDataURL } from 'qrcode';
import { ContactsConfig } from '../config';
import { toFirmView, toStaffUserView } from '../controllers/views';
import { Firm } from '../repositories/firm.schema';
import { FirmRepository } from '../repositories/firm.repository';
import { StaffSecondStepRepository } from '../repositories/staff-second-step.repository';
import { StaffUser } from '../repositories/staff-user.schema';
import { StaffUserRepository } from '../repositories/staff-user.repository';
import { StaffAccounts } from './staff-accounts.use-case';
import { StaffSessions } from './staff-sessions.use-case';

export const STAFF_CHALLENGE_MODEL = 'StaffTwoStepChallenge';
export const STAFF_DEVICE_MODEL = 'StaffTrustedDevice';
export const STAFF_ACTIVITY_MODEL = 'StaffAccountActivity';

const ISSUER = 'Client Portal';
/** One 30-second step either side, for clocks that drift and codes typed late. */
const TOTP_TOLERANCE_SECONDS = 30;
const RECOVERY_CODES = 10;
/** No 0/o, 1/l/i: read from paper. */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

interface Origin {
  ip: string | null;
  userAgent: string | null;
}

const originOf = (input: { ip?: string | null; userAgent?: string | null }): Origin => ({
  ip: input.ip ?? null,
  userAgent: input.userAgent ?? null,
});

/** The effective policy: a firm created before two-step sign-in existed has none stored. */
export const securityOf = (firm: Firm): SecuritySettings => ({ ...LEGACY_FIRM_SECURITY, ...(firm.security ?? {}) });

function recoveryCode(): string {
  const pick = () => Array.from({ length: 5 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  return `${pick()}-${pick()}`;
}

const isRecoveryCode = (code: string) => code.includes('-');

/** The RFC 6238 time step the code belongs to, or null when it is not valid now (or not after `after`). */
async function totpStep(secret: string, token: string, after: number | null): Promise<number | null> {
  const result = await verify({
    secret,
    token,
    epochTolerance: TOTP_TOLERANCE_SECONDS,
    afterTimeStep: after ?? undefined,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/**
 * Staff sign-in: the password, then an authenticator code (RFC 6238, otplib) for staff who
 * enrolled, or enrolment first when the firm requires two-step and they have none. A recovery
 * code stands in for the authenticator once. Every outcome is an event (no secret in any).
 */
@Injectable()
export class StaffSignIn {
  private readonly challenges: TwoStepChallenges;
  private readonly devices: TrustedDevices;
  private readonly activity: AccountActivityLog;
  private readonly key: Buffer;

  constructor(
    @InjectModel(STAFF_CHALLENGE_MODEL) challenges: Model<TwoStepChallenge>,
    @InjectModel(STAFF_DEVICE_MODEL) devices: Model<TrustedDevice>,
    @InjectModel(STAFF_ACTIVITY_MODEL) activity: Model<AccountActivity>,
    private readonly accounts: StaffAccounts,
    private readonly users: StaffUserRepository,
    private readonly firms: FirmRepository,
    private readonly steps: StaffSecondStepRepository,
    private readonly sessions: StaffSessions,
    config: ContactsConfig,
  ) {
    this.challenges = new TwoStepChallenges(challenges);
    this.devices = new TrustedDevices(devices);
    this.activity = new AccountActivityLog(activity);
    this.key = keyFromBase64(config.TWO_STEP_KEY);
  }

  async signIn(input: StaffSignInDto): Promise<StaffSignInOutcome> {
    const origin = originOf(input);
    let verified: { user: StaffUser; firm: Firm };
    try {
      verified = await this.accounts.verifyPassword(input);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.Unauthenticated) {
        const known = await this.users.findForSignIn(input.email);
        await this.activity.record(Topic.SignInFailed, known?.firmId ?? '', {
          accountId: known?._id ?? null,
          accountKind: 'staff',
          ...origin,
          stage: 'password',
          reason: 'bad-credentials',
        });
      }
      throw error;
    }
    const { user, firm } = verified;
    const scope = firmScope(user.firmId);
    const step = await this.steps.find(scope, user._id);
    if (step?.enrolledAt) {
      if (await this.devices.isTrusted(input.deviceToken, user._id))
        return this.finish(user, firm, 'trusted-device', origin, false);
      return this.challenge(user, 'totp');
    }
    if (securityOf(firm).staffTwoStep === 'required') return this.challenge(user, 'totp-enrol');
    return this.finish(user, firm, 'none', origin, false);
  }

  async twoStep(input: TwoStepInternalDto): Promise<StaffSignInOutcome> {
    const origin = originOf(input);
    const { challenge, refused } = await this.challenges.attempt(input.challengeToken);
    const fail = async (error: DomainError, reason: string) => {
      if (challenge) {
        await this.activity.record(Topic.SignInFailed, challenge.firmId, {
          accountId: challenge.subjectId,
          accountKind: 'staff',
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
    const scope = firmScope(challenge.firmId);
    const user = await this.users.findById(scope, challenge.subjectId);
    const firm = user && (await this.firms.findById(user.firmId));
    const wrong = async () => {
      const error = this.challenges.wrongCode(challenge);
      return fail(error, error.code === ErrorCode.TwoStepTooManyAttempts ? 'too-many-attempts' : 'bad-code');
    };
    if (!user || !firm) throw await wrong();

    if (challenge.method === 'totp-enrol') {
      const recoveryCodes = await this.confirmPending(scope, user._id, input.code, user._id, origin);
      if (!recoveryCodes) throw await wrong();
      await this.challenges.spend(challenge);
      return { ...(await this.finish(user, firm, 'totp', origin, input.trustDevice === true)), recoveryCodes };
    }
    const passed = await this.checkCode(scope, user._id, input.code);
    if (!passed) throw await wrong();
    await this.challenges.spend(challenge);
    return this.finish(user, firm, passed, origin, input.trustDevice === true);
  }

  /** A new authenticator secret (sealed at rest) to confirm with a first code. */
  async enrol(scope: FirmScope, userId: string): Promise<TotpEnrolment> {
    const user = await this.users.findById(scope, userId);
    if (!user) throw new DomainError(ErrorCode.NotFound, 'No such user.');
    const secret = generateSecret();
    await this.steps.setPending(scope, userId, seal(this.key, secret));
    const otpauthUri = generateURI({ issuer: ISSUER, label: user.email, secret });
    return { otpauthUri, qrCode: await toDataURL(otpauthUri) };
  }

  /** Enrolment while signing in (method `totp-enrol`): the challenge names the user; no attempt is counted. */
  async enrolForChallenge(challengeToken: string): Promise<TotpEnrolment> {
    const challenge = await this.challenges.live(challengeToken, 'totp-enrol');
    return this.enrol(firmScope(challenge.firmId), challenge.subjectId);
  }

  /** Confirms enrolment by a signed-in staff member: the ten recovery codes, shown once. */
  async confirm(scope: FirmScope, userId: string, code: string, origin: Origin): Promise<{ recoveryCodes: string[] }> {
    const recoveryCodes = await this.confirmPending(scope, userId, code, userId, origin);
    if (!recoveryCodes)
      throw new DomainError(ErrorCode.TwoStepCodeInvalid, 'That code is not right. Check the app and try again.');
    return { recoveryCodes };
  }

  async status(scope: FirmScope, userId: string): Promise<StaffTwoStepStatus> {
    const step = await this.steps.find(scope, userId);
    return { enrolled: !!step?.enrolledAt, recoveryCodesLeft: step?.enrolledAt ? step.recoveryCodeHashes.length : 0 };
  }

  /** An owner resets a colleague's second step (a lost phone): they enrol again at their next sign-in. */
  async reset(scope: FirmScope, userId: string, by: string, origin: Origin): Promise<void> {
    const user = await this.users.findById(scope, userId);
    if (!user) throw new DomainError(ErrorCode.NotFound, 'No such user.');
    await this.steps.remove(scope, userId);
    await this.devices.revokeAll(scope.firmId, userId);
    await this.activity.record(Topic.TwoStepChanged, scope.firmId, {
      accountId: userId,
      accountKind: 'staff',
      ...origin,
      change: 'reset',
      by,
    });
  }

  async getSecurity(firmId: string): Promise<SecuritySettings> {
    const firm = await this.firms.findById(firmId);
    if (!firm) throw new DomainError(ErrorCode.NotFound, 'No such firm.');
    return securityOf(firm);
  }

  async setSecurity(firmId: string, settings: SecuritySettings): Promise<SecuritySettings> {
    const firm = await this.firms.setSecurity(firmId, {
      portalTwoStep: settings.portalTwoStep,
      staffTwoStep: settings.staffTwoStep,
    });
    if (!firm) throw new DomainError(ErrorCode.NotFound, 'No such firm.');
    return securityOf(firm);
  }

  /** What the portal sign-in needs to know about a firm named by its slug. */
  async portalPolicy(slug: string): Promise<{ firmId: string; firmName: string; portalTwoStep: string }> {
    const firm = await this.firms.findBySlug(slug);
    if (!firm) throw new DomainError(ErrorCode.NotFound, 'No such firm.');
    return { firmId: firm._id, firmName: firm.name, portalTwoStep: securityOf(firm).portalTwoStep };
  }

  /** A password change or reset ends every browser the staff member trusted. */
  async forgetDevices(firmId: string, userId: string): Promise<void> {
    await this.devices.revokeAll(firmId, userId);
  }

  private async challenge(user: StaffUser, method: 'totp' | 'totp-enrol'): Promise<StaffSignInOutcome> {
    const { token } = await this.challenges.open({ firmId: user.firmId, subjectId: user._id, method });
    return { status: 'challenge', challengeToken: token, method };
  }

  /** An authenticator code (each time step once) or a recovery code (once): how it passed, or null. */
  private async checkCode(scope: FirmScope, userId: string, code: string): Promise<'totp' | 'recovery-code' | null> {
    if (isRecoveryCode(code)) {
      return (await this.steps.useRecoveryCode(scope, userId, sha256(code.toLowerCase()))) ? 'recovery-code' : null;
    }
    const step = await this.steps.find(scope, userId);
    if (!step?.sealedSecret) return null;
    const timeStep = await totpStep(unseal(this.key, step.sealedSecret), code, step.lastTimeStep);
    if (timeStep === null) return null;
    // Two requests with the same code: only the one that records its time step passes.
    return (await this.steps.useTimeStep(scope, userId, timeStep)) ? 'totp' : null;
  }

  private async confirmPending(
    scope: FirmScope,
    userId: string,
    code: string,
    by: string,
    origin: Origin,
  ): Promise<string[] | null> {
    const step = await this.steps.find(scope, userId);
    if (!step?.pendingSealedSecret || isRecoveryCode(code)) return null;
    const timeStep = await totpStep(unseal(this.key, step.pendingSealedSecret), code, null);
    if (timeStep === null) return null;
    const recoveryCodes = Array.from({ length: RECOVERY_CODES }, recoveryCode);
    const confirmed = await this.steps.confirm(
      scope,
      userId,
      step.pendingSealedSecret,
      timeStep,
      recoveryCodes.map((c) => sha256(c)),
      new Date(),
    );
    if (!confirmed) return null;
    await this.activity.record(Topic.TwoStepChanged, scope.firmId, {
      accountId: userId,
      accountKind: 'staff',
      ...origin,
      change: 'enrolled',
      by,
    });
    return recoveryCodes;
  }

  private async finish(
    user: StaffUser,
    firm: Firm,
    secondStep: SignInSucceededData['secondStep'],
    origin: Origin,
    trustDevice: boolean,
  ): Promise<StaffSignInOutcome & { status: 'signed-in' }> {
    await this.activity.record(Topic.SignInSucceeded, user.firmId, {
      accountId: user._id,
      accountKind: 'staff',
      ...origin,
      secondStep,
    });
    const refreshToken = await this.sessions.start(user);
    const deviceToken = trustDevice
      ? await this.devices.trust({ firmId: user.firmId, subjectId: user._id })
      : undefined;
    return {
      status: 'signed-in',
      user: toStaffUserView(user),
      firm: toFirmView(firm),
      refreshToken,
      deviceToken,
    };
  }
}
