import { Injectable, Logger } from '@nestjs/common';
import { BulkInviteResult, IssueInvitesCommand } from '@cp/contracts';
import { CORRELATION_HEADER, currentCorrelationId, FirmScope, INTERNAL_TOKEN_HEADER } from '@cp/platform';
import { ContactsConfig } from '../config';

/** Each invite is stored before the answer; a bulk of 1,000 takes a while on a loaded store. */
const TIMEOUT_MS = 300_000;

export class InvitesUnavailableError extends Error {}

/**
 * The invites service's bulk route, the same one the gateway's bulk invite uses: it decides
 * per contact (a pending invite gets a fresh link, an accepted one is skipped), stores each
 * invite with its InviteSent and email command, and answers one result per target.
 */
@Injectable()
export class InvitesService {
  private readonly logger = new Logger(InvitesService.name);

  constructor(private readonly config: ContactsConfig) {}

  async issue(scope: FirmScope, command: IssueInvitesCommand): Promise<BulkInviteResult[]> {
    const url = `${this.config.INVITES_URL.replace(/\/+$/, '')}/firms/${encodeURIComponent(scope.firmId)}/invites`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/json',
      [INTERNAL_TOKEN_HEADER]: this.config.INTERNAL_API_TOKEN,
    };
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify(command),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.warn({ err: String(error) }, 'invites service unreachable');
      throw new InvitesUnavailableError();
    }
    if (!res.ok) {
      await res.body?.cancel();
      this.logger.warn({ status: res.status }, 'invites service refused the import invites');
      throw new InvitesUnavailableError();
    }
    return ((await res.json()) as { results: BulkInviteResult[] }).results;
  }
}
