import { AccountKind, createEvent, DomainError, ErrorCode, OutboxEvent, RequestOrigin, Topic } from '@cp/contracts';
import { randomUUID } from 'node:crypto';

/** The rule every new password follows beyond its length (checked by the DTO): not the email. */
export function assertPasswordRules(password: string, email: string): void {
  if (password.trim().toLowerCase() === email.toLowerCase()) {
    throw new DomainError(ErrorCode.ValidationFailed, 'The password must not be the email address.', {
      errors: [{ field: 'password', message: 'password must not be the email address' }],
    });
  }
}

export const currentPasswordIncorrect = () =>
  new DomainError(ErrorCode.CurrentPasswordIncorrect, 'The current password is not correct.');

/** PasswordChanged: who and from where, never the password or the link. */
export function passwordChangedEvent(input: {
  firmId: string;
  accountId: string;
  accountKind: AccountKind;
  /** The message key: the contact id for a portal account (per-contact order), else the user id. */
  key: string;
  via: 'reset' | 'change';
  origin: RequestOrigin | undefined;
  correlationId: string | undefined;
}): OutboxEvent {
  return createEvent({
    topic: Topic.PasswordChanged,
    firmId: input.firmId,
    correlationId: input.correlationId ?? randomUUID(),
    key: input.key,
    data: {
      accountId: input.accountId,
      accountKind: input.accountKind,
      ip: input.origin?.ip ?? null,
      userAgent: input.origin?.userAgent ?? null,
      via: input.via,
    },
  });
}
