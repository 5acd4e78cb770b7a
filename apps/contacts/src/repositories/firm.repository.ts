import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { appendEvents, isDuplicateKey, settingsChanged } from '@cp/messaging';
import { NEW_FIRM_SECURITY, SecuritySettings } from '@cp/contracts';
import { Firm } from './firm.schema';

const HIDDEN = { pendingEvents: 0 } as const;

/** Firms are the tenants themselves, so this is the one repository not scoped by a firm. */
@Injectable()
export class FirmRepository {
  constructor(@InjectModel(Firm.name) private readonly firms: Model<Firm>) {}

  /** Creates the firm under the first free slug: `acme`, `acme-2`, `acme-3`, ... */
  async create(name: string, baseSlug: string): Promise<Firm> {
    for (let n = 1; ; n++) {
      const slug = n === 1 ? baseSlug : `${baseSlug}-${n}`;
      try {
        return (await this.firms.create({ name, slug, security: NEW_FIRM_SECURITY })).toObject();
      } catch (error) {
        if (!isDuplicateKey(error) || n > 50) throw error;
      }
    }
  }

  async findById(id: string): Promise<Firm | null> {
    return this.firms.findById(id, HIDDEN).lean<Firm>().exec();
  }

  /** Sets the given branding fields (null clears one); the firm afterwards, or null if none. */
  async setBranding(
    id: string,
    branding: { logoUrl?: string | null; brandColor?: string | null },
  ): Promise<Firm | null> {
    const set = Object.fromEntries(Object.entries(branding).filter(([, v]) => v !== undefined));
    return this.firms
      .findOneAndUpdate({ _id: id }, appendEvents<Firm>({ $set: set }, [settingsChanged(id, 'branding', set)]), {
        new: true,
        projection: HIDDEN,
      })
      .lean<Firm>()
      .exec();
  }

  async findBySlug(slug: string): Promise<Firm | null> {
    return this.firms.findOne({ slug }).lean<Firm>().exec();
  }

  async setSecurity(id: string, security: SecuritySettings): Promise<Firm | null> {
    return this.firms.findOneAndUpdate({ _id: id }, { $set: { security } }, { new: true }).lean<Firm>().exec();
  }

  async remove(id: string): Promise<void> {
    await this.firms.deleteOne({ _id: id });
  }
}
