import { ContactView } from '../dto/contact.dto';
import { Contact } from '../repositories/contact.schema';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

/** The API shape of a contact: no internal fields, timestamps as ISO strings. */
export function toContactView(c: Contact): ContactView {
  return {
    id: c._id,
    clientIds: c.clientIds,
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    portal: {
      state: c.portal?.state ?? 'not_invited',
      invitedAt: iso(c.portal?.invitedAt),
      acceptedAt: iso(c.portal?.acceptedAt),
      lastLoginAt: iso(c.portal?.lastLoginAt),
    },
    createdAt: iso(c.createdAt) as string,
    updatedAt: iso(c.updatedAt) as string,
  };
}
