import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';
import { StaffSession } from './session.schema';

@Injectable()
export class SessionRepository {
  constructor(@InjectModel(StaffSession.name) private readonly sessions: Model<StaffSession>) {}

  async insert(session: Omit<StaffSession, 'usedAt' | 'revokedAt'>): Promise<void> {
    await this.sessions.create(session);
  }

  findById(id: string): Promise<StaffSession | null> {
    return this.sessions.findById(id).lean<StaffSession>().exec();
  }

  /** Marks the token used if nobody did before; false means it was already used (or revoked). */
  async markUsed(id: string, at: Date): Promise<boolean> {
    const result = await this.sessions.updateOne({ _id: id, usedAt: null, revokedAt: null }, { $set: { usedAt: at } });
    return result.modifiedCount === 1;
  }

  async revokeFamily(familyId: string, at: Date): Promise<void> {
    await this.sessions.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } });
  }
}
