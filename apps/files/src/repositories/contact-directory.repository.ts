import { Injectable, Logger } from '@nestjs/common';
import { ContactView, DomainError, ErrorCode } from '@cp/contracts';
import { CORRELATION_HEADER, currentCorrelationId, FirmScope, INTERNAL_TOKEN_HEADER } from '@cp/platform';
import { FilesConfig } from '../config';

/** What the files service needs to know about a contact at the moment it shares with them. */
export interface ContactStanding {
  contactId: string;
  clientIds: string[];
  /**
   * Accepted, or invited with a live (pending) link: portal items shared now are there when they
   * accept. Never invited, revoked and expired contacts cannot receive any.
   */
  canReceivePortalItems: boolean;
}

const RECEIVING_STATES = new Set(['accepted', 'invited']);

const TIMEOUT_MS = 10_000;

/**
 * Asks the contacts service, which owns clients and contacts and keeps each contact's portal
 * state from the invite events. Asking at share time (rather than keeping a projection here)
 * means a contact invited or accepted a second ago can be shared with at once, and a revoked one not.
 */
@Injectable()
export class ContactDirectory {
  private readonly logger = new Logger(ContactDirectory.name);

  constructor(private readonly config: FilesConfig) {}

  /** Throws NOT_FOUND when the client is not one of the firm's. */
  async assertClient(scope: FirmScope, clientId: string): Promise<void> {
    await this.get(scope, `/clients/${encodeURIComponent(clientId)}`, 'client');
  }

  /** Each contact of the firm, in one call; null for an id that is not a contact of this firm. */
  async standing(scope: FirmScope, contactIds: string[]): Promise<(ContactStanding | null)[]> {
    if (contactIds.length === 0) return [];
    const found = await this.call<{ items: ContactView[] }>(scope, '/contacts/lookup', 'contacts', {
      ids: [...new Set(contactIds)],
    });
    const byId = new Map((found?.items ?? []).map((c) => [c.id, c]));
    return contactIds.map((contactId) => {
      const contact = byId.get(contactId);
      if (!contact) return null;
      return {
        contactId,
        clientIds: contact.clientIds,
        canReceivePortalItems: RECEIVING_STATES.has(contact.portal?.state ?? 'not_invited'),
      };
    });
  }

  private async get<T>(scope: FirmScope, path: string, what: string): Promise<T | null> {
    return this.call<T>(scope, path, what);
  }

  /** GET, or POST with a JSON body; null for a 404 of anything but the client. */
  private async call<T>(scope: FirmScope, path: string, what: string, body?: unknown): Promise<T | null> {
    const url = `${this.config.CONTACTS_URL.replace(/\/+$/, '')}/firms/${encodeURIComponent(scope.firmId)}${path}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      [INTERNAL_TOKEN_HEADER]: this.config.INTERNAL_API_TOKEN,
    };
    const correlationId = currentCorrelationId();
    if (correlationId) headers[CORRELATION_HEADER] = correlationId;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      this.logger.warn({ what, err: String(error) }, 'contacts service unreachable');
      throw new DomainError(ErrorCode.ServiceUnavailable, 'The contacts service is unavailable; try again shortly.');
    }
    if (res.status === 404) {
      await res.body?.cancel();
      if (what === 'client') throw new DomainError(ErrorCode.NotFound, 'No such client.');
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel();
      this.logger.warn({ what, status: res.status }, 'contacts service failed');
      throw new DomainError(ErrorCode.ServiceUnavailable, 'The contacts service is unavailable; try again shortly.');
    }
    return (await res.json()) as T;
  }
}
