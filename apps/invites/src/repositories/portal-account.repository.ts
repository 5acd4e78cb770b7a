import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { OutboxEvent } from '@cp/contracts';
import { appendEvents, isDuplicateKey, withEvents } from '@cp/messaging';
import { FirmScope, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { PortalAccount } from './portal-account.schema';

export class AccountExistsError extends Error {}

@Injectable()
export class PortalAccountRepository {
  constructor(@InjectModel(PortalAccount.name) private readonly accounts: Model<PortalAccount>) {}

  async insert(
    scope: FirmScope,
    account: Pick<PortalAccount, 'firmSlug' | 'contactId' | 'email' | 'passwordHash'>,
  ): Promise<PortalAccount> {
    try {
      return (await this.accounts.create(withEvents({ ...account, firmId: scope.firmId }, []))).toObject();
    } catch (error) {
      if (isDuplicateKey(error)) throw new AccountExistsError();
      throw error;
    }
  }

  async findById(scope: FirmScope, id: string): Promise<PortalAccount | null> {
    return this.accounts
      .findOne(scoped<PortalAccount>(scope, { _id: id }))
      .lean<PortalAccount>()
      .exec();
  }

  async findByContact(scope: FirmScope, contactId: string): Promise<PortalAccount | null> {
    return this.accounts.findOne(scoped<PortalAccount>(scope, { contactId })).lean<PortalAccount>().exec();
  }

  /** Which of these contacts have a portal account, in one query (unique index firmId, contactId). */
  async contactsWithAccount(scope: FirmScope, contactIds: string[]): Promise<Set<string>> {
    const found = await this.accounts
      .find(scoped<PortalAccount>(scope, { contactId: { $in: contactIds } }), { contactId: 1 })
      .lean<Pick<PortalAccount, 'contactId'>[]>()
      .exec();
    return new Set(found.map((a) => a.contactId));
  }

  /** Portal sign-in names the firm by slug; the firm id comes from the account found. */
  async findForSignIn(firmSlug: string, email: string): Promise<PortalAccount | null> {
    return this.accounts.findOne({ firmSlug, email }).lean<PortalAccount>().exec();
  }

  /** The new hash and its PasswordChanged, in one write. */
  async setPassword(scope: FirmScope, id: string, passwordHash: string, events: OutboxEvent[]): Promise<boolean> {
    const result = await this.accounts.updateOne(
      scoped<PortalAccount>(scope, { _id: id }),
      appendEvents<PortalAccount>({ $set: { passwordHash } }, events),
    );
    return result.matchedCount === 1;
  }

  async recordLogin(scope: FirmScope, id: string, at: Date, events: OutboxEvent[]): Promise<PortalAccount | null> {
    return this.accounts
      .findOneAndUpdate(
        scoped<PortalAccount>(scope, { _id: id }),
        appendEvents<PortalAccount>({ $set: { lastLoginAt: at } }, events),
        {
          new: true,
        },
      )
      .lean<PortalAccount>()
      .exec();
  }

  async setTwoStepEnabled(scope: FirmScope, id: string, enabled: boolean): Promise<PortalAccount | null> {
    return this.accounts
      .findOneAndUpdate(scoped<PortalAccount>(scope, { _id: id }), { $set: { twoStepEnabled: enabled } }, { new: true })
      .lean<PortalAccount>()
      .exec();
  }
}
