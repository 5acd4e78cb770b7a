import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '@cp/contracts';
import { FirmScope } from '@cp/platform';
import { ContactDirectory } from '../repositories/contact-directory.repository';

/**
 * Who a file can be shared with, or a request addressed to: contacts of that very client, each
 * with a portal account or a live invite (they see it once they accept). A contact never
 * invited, or whose invite was revoked or expired, could never see it: CONTACT_NOT_INVITED.
 */
@Injectable()
export class SharingRules {
  constructor(private readonly directory: ContactDirectory) {}

  /** The distinct contact ids, once every one is a portal user (or invitee) of the client. */
  async assertCanReceive(scope: FirmScope, clientId: string, contactIds: string[]): Promise<string[]> {
    const distinct = [...new Set(contactIds)];
    if (distinct.length === 0) return distinct;
    const standings = await this.directory.standing(scope, distinct);
    const unknown = distinct.filter((id, i) => !standings[i]?.clientIds.includes(clientId));
    if (unknown.length > 0) {
      throw new DomainError(ErrorCode.NotFound, 'Some contacts are not contacts of this client.', {
        contactIds: unknown,
      });
    }
    const notInvited = standings.filter((s) => s && !s.canReceivePortalItems).map((s) => s?.contactId);
    if (notInvited.length > 0) {
      throw new DomainError(
        ErrorCode.ContactNotInvited,
        'Some contacts have no portal account or live invite; invite them first.',
        { contactIds: notInvited },
      );
    }
    return distinct;
  }
}
