import { randomUUID } from 'node:crypto';

/**
 * A contact as the contacts service stores it, for benchmarks that seed thousands straight into
 * the database (through the API that would take minutes). Keep in step with contact.schema.ts.
 */
export function seededContact(fields: {
  firmId: string;
  clientId: string;
  firstName: string;
  lastName: string;
  email: string;
  at: Date;
}) {
  const { firmId, clientId, firstName, lastName, email, at } = fields;
  return {
    _id: randomUUID(),
    firmId,
    clientIds: [clientId],
    firstName,
    lastName,
    email,
    emailKey: email,
    phone: null,
    portal: {
      state: 'not_invited',
      invitedAt: null,
      acceptedAt: null,
      lastLoginAt: null,
      stateAt: null,
      inviteId: null,
      rev: 0,
    },
    inviteEmail: null,
    pendingEvents: [],
    outboxPending: false,
    createdAt: at,
    updatedAt: at,
  };
}
