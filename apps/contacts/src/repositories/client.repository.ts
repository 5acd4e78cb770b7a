import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { afterCursor, FirmScope, PAGE_ORDER, scoped } from '@cp/platform';
import { Model } from 'mongoose';
import { Client } from './client.schema';

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

@Injectable()
export class ClientRepository {
  constructor(@InjectModel(Client.name) private readonly clients: Model<Client>) {}

  async insert(scope: FirmScope, client: Pick<Client, 'name' | 'kind'>): Promise<Client> {
    const created = await this.clients.create({
      ...client,
      nameLower: client.name.toLowerCase(),
      firmId: scope.firmId,
    });
    return created.toObject();
  }

  /** Several new clients in one write. */
  async insertMany(scope: FirmScope, clients: (Pick<Client, 'name' | 'kind'> & { _id: string })[]): Promise<void> {
    if (clients.length === 0) return;
    await this.clients.insertMany(
      clients.map((c) => ({ ...c, nameLower: c.name.toLowerCase(), firmId: scope.firmId })),
      { ordered: false },
    );
  }

  /** The firm's clients with any of these names (compared lower-cased), oldest first. */
  async findByNames(scope: FirmScope, namesLower: string[]): Promise<Client[]> {
    if (namesLower.length === 0) return [];
    return this.clients
      .find(scoped<Client>(scope, { nameLower: { $in: namesLower } }))
      .sort(PAGE_ORDER)
      .lean<Client[]>()
      .exec();
  }

  async findById(scope: FirmScope, id: string): Promise<Client | null> {
    return this.clients
      .findOne(scoped<Client>(scope, { _id: id }))
      .lean<Client>()
      .exec();
  }

  /** How many of these ids are clients of the firm. */
  async countOwned(scope: FirmScope, ids: string[]): Promise<number> {
    return this.clients.countDocuments(scoped<Client>(scope, { _id: { $in: ids } }));
  }

  /** `limit + 1` clients after the cursor, optionally whose name contains `search`. */
  async page(scope: FirmScope, options: { search?: string; cursor?: string; limit: number }): Promise<Client[]> {
    const filter = {
      ...afterCursor(options.cursor),
      ...(options.search ? { nameLower: { $regex: escapeRegex(options.search.toLowerCase()) } } : {}),
    };
    return this.clients
      .find(scoped<Client>(scope, filter))
      .sort(PAGE_ORDER)
      .limit(options.limit + 1)
      .lean<Client[]>()
      .exec();
  }

  async update(scope: FirmScope, id: string, changes: Partial<Pick<Client, 'name' | 'kind'>>): Promise<Client | null> {
    const set = { ...changes, ...(changes.name ? { nameLower: changes.name.toLowerCase() } : {}) };
    return this.clients
      .findOneAndUpdate(scoped<Client>(scope, { _id: id }), { $set: set }, { new: true })
      .lean<Client>()
      .exec();
  }

  async remove(scope: FirmScope, id: string): Promise<boolean> {
    return (await this.clients.deleteOne(scoped<Client>(scope, { _id: id }))).deletedCount === 1;
  }
}
