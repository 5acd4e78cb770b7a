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

  /** Every client's id and lower-cased name, oldest first: one read for a whole import. */
  async nameIndex(scope: FirmScope): Promise<Pick<Client, '_id' | 'nameLower'>[]> {
    return this.clients
      .find(scoped<Client>(scope), { _id: 1, nameLower: 1 })
      .sort(PAGE_ORDER)
      .lean<Pick<Client, '_id' | 'nameLower'>[]>()
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
