import { Injectable } from '@nestjs/common';
import { burnPasswordCheck, hashPassword, verifyPassword } from '@cp/auth';
import { AddStaffUserDto, DomainError, ErrorCode, LoginDto, SignUpFirmDto } from '@cp/contracts';
import { FirmScope, firmScope } from '@cp/platform';
import { FirmRepository } from '../repositories/firm.repository';
import { Firm } from '../repositories/firm.schema';
import { StaffEmailTakenError, StaffUserRepository } from '../repositories/staff-user.repository';
import { StaffUser } from '../repositories/staff-user.schema';
import { StaffSessions } from './staff-sessions.use-case';

const emailTaken = (email: string) =>
  new DomainError(ErrorCode.StaffEmailTaken, `A staff account with ${email} already exists.`);

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return slug.length >= 2 ? slug : `firm-${slug}`.replace(/-$/, '');
}

/** Firm sign-up, staff sign-in and adding colleagues. */
@Injectable()
export class StaffAccounts {
  constructor(
    private readonly firms: FirmRepository,
    private readonly users: StaffUserRepository,
    private readonly sessions: StaffSessions,
  ) {}

  async signUpFirm(input: SignUpFirmDto): Promise<{ firm: Firm; user: StaffUser; refreshToken: string }> {
    if (await this.users.findForSignIn(input.email)) throw emailTaken(input.email);
    const passwordHash = await hashPassword(input.password);
    const firm = await this.firms.create(input.firmName, slugify(input.firmName));
    let user: StaffUser;
    try {
      user = await this.users.insert(firmScope(firm._id), {
        name: input.name,
        email: input.email,
        passwordHash,
        role: 'owner',
      });
    } catch (error) {
      await this.firms.remove(firm._id); // no firm without its owner
      if (error instanceof StaffEmailTakenError) throw emailTaken(input.email);
      throw error;
    }
    return { firm, user, refreshToken: await this.sessions.start(user) };
  }

  /** The same answer, after the same work, for an unknown email and a wrong password. */
  async verifyPassword(input: LoginDto): Promise<{ user: StaffUser; firm: Firm }> {
    const invalid = new DomainError(ErrorCode.Unauthenticated, 'Email or password is incorrect.');
    const user = await this.users.findForSignIn(input.email);
    if (!user) {
      await burnPasswordCheck(input.password);
      throw invalid;
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) throw invalid;
    const firm = await this.firms.findById(user.firmId);
    if (!firm) throw invalid;
    return { user, firm };
  }

  async addUser(scope: FirmScope, actorId: string, input: AddStaffUserDto): Promise<StaffUser> {
    await this.assertManager(scope, actorId, 'add');
    if (await this.users.findForSignIn(input.email)) throw emailTaken(input.email);
    try {
      return await this.users.insert(scope, {
        name: input.name,
        email: input.email,
        passwordHash: await hashPassword(input.password),
        role: input.role,
      });
    } catch (error) {
      if (error instanceof StaffEmailTakenError) throw emailTaken(input.email);
      throw error;
    }
  }

  /**
   * An owner or admin removes a colleague: the account can no longer sign in, and its refresh
   * tokens stop working at their next use. Nobody removes themselves, only an owner removes an
   * owner, and the last owner stays.
   */
  async removeUser(scope: FirmScope, actorId: string, userId: string): Promise<void> {
    const actor = await this.assertManager(scope, actorId, 'remove');
    const user = await this.users.findById(scope, userId);
    if (!user) throw new DomainError(ErrorCode.NotFound, 'No such user.');
    if (user._id === actor._id) throw new DomainError(ErrorCode.Conflict, 'You cannot remove yourself.');
    if (user.role === 'owner') {
      if (actor.role !== 'owner') throw new DomainError(ErrorCode.Forbidden, 'Only an owner can remove an owner.');
      if ((await this.users.countOwners(scope)) <= 1) {
        throw new DomainError(ErrorCode.Conflict, 'The firm keeps at least one owner.');
      }
    }
    await this.users.remove(scope, user);
  }

  private async assertManager(scope: FirmScope, actorId: string, verb: string): Promise<StaffUser> {
    const actor = await this.users.findById(scope, actorId);
    if (!actor || (actor.role !== 'owner' && actor.role !== 'admin')) {
      throw new DomainError(ErrorCode.Forbidden, `Only an owner or admin can ${verb} staff users.`);
    }
    return actor;
  }
}
