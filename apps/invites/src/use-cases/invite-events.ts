import { keyFromBase64, seal } from '@cp/auth';
import { createEvent, OutboxEvent, Topic } from '@cp/contracts';
import { eventContext } from '@cp/platform';
import { Invite } from '../repositories/invite.schema';

/**
 * The two facts of one send: InviteSent for everyone (no secret), and the sealed email
 * request that only the notifications service can open.
 */
export function inviteSentEvents(invite: Invite, link: string, linkKey: string, resend: boolean): OutboxEvent[] {
  const common = {
    firmId: invite.firmId,
    ...eventContext(),
    key: invite.contactId,
  };
  return [
    createEvent({
      ...common,
      topic: Topic.InviteSent,
      data: {
        inviteId: invite._id,
        contactId: invite.contactId,
        clientId: invite.clientId,
        email: invite.email,
        expiresAt: invite.expiresAt.toISOString(),
        sentBy: invite.sentBy,
        resend,
      },
    }),
    createEvent({
      ...common,
      topic: Topic.InviteEmailRequested,
      data: {
        inviteId: invite._id,
        contactId: invite.contactId,
        sendNumber: invite.sendCount,
        to: invite.email,
        contactFirstName: invite.contactFirstName,
        contactLastName: invite.contactLastName,
        firmName: invite.firmName,
        firmBranding: invite.firmBranding ?? { logoUrl: null, brandColor: null },
        inviterId: invite.sentBy,
        ...(invite.sentByEmail ? { inviterEmail: invite.sentByEmail } : {}),
        inviterName: invite.sentByName,
        message: invite.message,
        templateId: invite.templateId,
        expiresAt: invite.expiresAt.toISOString(),
        sealedLink: seal(keyFromBase64(linkKey), link),
      },
    }),
  ];
}

export function inviteEndedEvent(invite: Invite, topic: Topic.InviteRevoked | Topic.InviteExpired): OutboxEvent {
  return createEvent({
    topic,
    firmId: invite.firmId,
    ...eventContext(),
    key: invite.contactId,
    data: { inviteId: invite._id, contactId: invite.contactId },
  });
}
