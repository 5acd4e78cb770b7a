import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { isDuplicateKey } from '@cp/messaging';
import { PollingJob } from '@cp/platform';
import { Connection } from 'mongoose';
import { randomUUID } from 'node:crypto';
import { AuditConfig } from '../config';
import { AuditRecordRepository } from '../repositories/audit-record.repository';

const BATCH = 1000;
const LEASE_MS = 60_000;
const LEASE = 'retention-sweep';

/**
 * Keeps the retention where the store has no TTL index (the local mongo-java-server ignores
 * `expireAfterSeconds`): removes records older than AUDIT_RETENTION_DAYS, a batch at a time.
 * One replica at a time holds the lease; on MongoDB the TTL index does the same work.
 */
@Injectable()
export class RetentionSweep extends PollingJob {
  protected readonly logger = new Logger(RetentionSweep.name);
  private readonly holder = randomUUID();

  constructor(
    private readonly records: AuditRecordRepository,
    private readonly config: AuditConfig,
    @InjectConnection() private readonly connection: Connection,
  ) {
    super();
  }

  protected get pauseMs(): number {
    return this.config.AUDIT_SWEEP_MS;
  }

  protected async runPass(): Promise<boolean> {
    if (!(await this.takeLease())) return false;
    try {
      const before = new Date(Date.now() - this.config.AUDIT_RETENTION_DAYS * 86_400_000);
      const removed = await this.records.deleteOlderThan(before, BATCH);
      if (removed > 0) this.logger.log({ removed }, 'audit records past their retention removed');
      return removed === BATCH && !this.stopping;
    } finally {
      // Free for whichever replica comes next; the lease only keeps two passes from overlapping.
      await this.leases.updateOne({ _id: LEASE, holder: this.holder }, { $set: { until: new Date(0) } });
    }
  }

  private get leases() {
    return this.connection.collection<{ _id: string; holder: string; until: Date }>('leases');
  }

  private async takeLease(): Promise<boolean> {
    const now = new Date();
    try {
      const taken = await this.leases.findOneAndUpdate(
        { _id: LEASE, $or: [{ until: { $lt: now } }, { holder: this.holder }] },
        { $set: { holder: this.holder, until: new Date(now.getTime() + LEASE_MS) } },
        { upsert: true, returnDocument: 'after' },
      );
      return taken?.holder === this.holder;
    } catch (error) {
      if (isDuplicateKey(error)) return false; // another replica holds it
      throw error;
    }
  }
}
