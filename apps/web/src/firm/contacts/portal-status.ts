// The portal status of a contact in the words the firm reads on the Contacts section.

export interface ContactStatusInput {
  portal: {
    state: 'not_invited' | 'invited' | 'accepted' | 'revoked' | 'expired';
    lastLoginAt: string | null;
    newLinkRequestedAt?: string | null;
  };
  inviteEmail: { status: 'sent' | 'failed'; reason: string | null } | null;
}

export interface StatusWords {
  /** "No invite sent", "Invited – never logged in", "Last login <date>", … */
  text: string;
  /** The ✅ of an accepted invite. */
  accepted: boolean;
  /** "Email bounced: <reason>" when the latest invite email failed. */
  emailProblem: string | null;
  /** "Asked for a new link <date>" until a newer invite answers it. */
  newLinkRequest: string | null;
}

export function portalStatusWords(contact: ContactStatusInput, formatDate: (iso: string) => string): StatusWords {
  const words = statusWords(contact, formatDate);
  const asked = contact.portal.newLinkRequestedAt;
  return { ...words, newLinkRequest: asked ? `Asked for a new link ${formatDate(asked)}` : null };
}

function statusWords(
  contact: ContactStatusInput,
  formatDate: (iso: string) => string,
): Omit<StatusWords, 'newLinkRequest'> {
  const { state, lastLoginAt } = contact.portal;
  const emailProblem =
    contact.inviteEmail?.status === 'failed'
      ? `Email bounced: ${contact.inviteEmail.reason ?? 'no reason given'}`
      : null;
  switch (state) {
    case 'not_invited':
      return { text: 'No invite sent', accepted: false, emailProblem };
    case 'invited':
      return {
        text: lastLoginAt ? `Last login ${formatDate(lastLoginAt)}` : 'Invited – never logged in',
        accepted: false,
        emailProblem,
      };
    case 'accepted':
      return {
        text: lastLoginAt ? `Last login ${formatDate(lastLoginAt)}` : 'Accepted',
        accepted: true,
        emailProblem: null,
      };
    case 'expired':
      return { text: 'Invite expired', accepted: false, emailProblem };
    case 'revoked':
      return { text: 'Invite revoked', accepted: false, emailProblem: null };
  }
}
