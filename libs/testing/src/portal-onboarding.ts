import { keyFromBase64, unseal } from '@cp/auth';
import { InviteEmailRequestedData, Topic } from '@cp/contracts';
import { GatewayClient, uniqueEmail } from './gateway-client';
import { KafkaTap } from './kafka-tap';
import { inviteTokenIn, Mailbox } from './mailbox';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const PORTAL_PASSWORD = 'a long enough passphrase';

export interface PortalContact {
  contactId: string;
  email: string;
  /** Signed in to the portal with the contact's own token. */
  portal: GatewayClient;
}

/** A contact of the client without a portal account (never invited). */
export async function addContact(staff: GatewayClient, clientId: string, firstName = 'Ada'): Promise<string> {
  const res = await staff.post<{ id: string }>(`/v1/clients/${clientId}/contacts`, {
    firstName,
    lastName: 'Lovelace',
    email: uniqueEmail(firstName.toLowerCase()),
  });
  if (res.status !== 201) throw new Error(`adding a contact failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/**
 * Where a test reads the invite link: the email (through SMTP and Mailpit), or the sealed link in
 * the invites service's `internal.invite-email-requested` command, opened with the stack's
 * INVITE_LINK_KEY. The second skips only the mail transport, whose queue on a Kafka shared with
 * other test stacks can hold hundreds of their emails first.
 */
export type InviteLinkSource = { mailbox: Mailbox } | { tap: KafkaTap; linkKey: string };

/** The raw invite token of the contact's latest invite, from the email or the sealed command. */
export async function inviteToken(source: InviteLinkSource, contactId: string, email: string): Promise<string> {
  if ('mailbox' in source) return inviteTokenIn((await source.mailbox.waitFor(email, 1, 180_000))[0].Text);
  const [request] = await source.tap.waitFor(
    (m) =>
      m.topic === String(Topic.InviteEmailRequested) &&
      (m.value.data as InviteEmailRequestedData).contactId === contactId,
    1,
    60_000,
  );
  const link = unseal(keyFromBase64(source.linkKey), (request.value.data as InviteEmailRequestedData).sealedLink);
  return inviteTokenIn(link);
}

/**
 * The real onboarding: add a contact, invite them, take the link, accept with a password, and
 * wait until the firm sees them `accepted` (the contacts service learns it from an event).
 */
export async function onboardContact(
  staff: GatewayClient,
  anonymous: GatewayClient,
  links: InviteLinkSource,
  clientId: string,
  firstName = 'Ada',
): Promise<PortalContact> {
  const email = uniqueEmail(firstName.toLowerCase());
  const added = await staff.post<{ id: string }>(`/v1/clients/${clientId}/contacts`, {
    firstName,
    lastName: 'Lovelace',
    email,
  });
  if (added.status !== 201) throw new Error(`adding a contact failed: ${added.status}`);
  const contactId = added.body.id;
  const sent = await staff.post(`/v1/contacts/${contactId}/invites`, {});
  if (sent.status !== 201) throw new Error(`inviting failed: ${sent.status} ${JSON.stringify(sent.body)}`);
  const accepted = await anonymous.post<{ accessToken: string }>('/v1/portal/invites/accept', {
    token: await inviteToken(links, contactId, email),
    password: PORTAL_PASSWORD,
  });
  if (accepted.status !== 201) throw new Error(`accepting failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);

  const deadline = Date.now() + 60_000;
  for (;;) {
    const seen = await staff.get<{ portal: { state: string } }>(`/v1/contacts/${contactId}`);
    if (seen.body.portal?.state === 'accepted') break;
    if (Date.now() > deadline) throw new Error(`contact ${contactId} never showed as accepted`);
    await sleep(250);
  }
  return { contactId, email, portal: anonymous.withToken(accepted.body.accessToken) };
}
