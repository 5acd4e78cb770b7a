/** Stable error codes that clients branch on (API.md). The HTTP edge maps each to a status. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  ContactEmailRequired = 'CONTACT_EMAIL_REQUIRED',
  ContactEmailTaken = 'CONTACT_EMAIL_TAKEN',
  StaffEmailTaken = 'STAFF_EMAIL_TAKEN',
  InviteAlreadyAccepted = 'INVITE_ALREADY_ACCEPTED',
  InviteExpired = 'INVITE_EXPIRED',
  InviteRevoked = 'INVITE_REVOKED',
  InviteInvalid = 'INVITE_INVALID',
  ContactNotInvited = 'CONTACT_NOT_INVITED',
  TemplateInvalid = 'TEMPLATE_INVALID',
  FileTooLarge = 'FILE_TOO_LARGE',
  RateLimited = 'RATE_LIMITED',
  /** A password-reset link: unknown or malformed / used once already / past its 30 minutes / replaced by a newer one. */
  ResetLinkInvalid = 'RESET_LINK_INVALID',
  ResetLinkUsed = 'RESET_LINK_USED',
  ResetLinkExpired = 'RESET_LINK_EXPIRED',
  ResetLinkSuperseded = 'RESET_LINK_SUPERSEDED',
  /** A signed-in password change named the wrong current password. */
  CurrentPasswordIncorrect = 'CURRENT_PASSWORD_INCORRECT',
  /** The second-step code is wrong (the challenge stays usable until its attempts run out). */
  TwoStepCodeInvalid = 'TWO_STEP_CODE_INVALID',
  /** Five wrong codes: this challenge is locked; sign in with the password again. */
  TwoStepTooManyAttempts = 'TWO_STEP_TOO_MANY_ATTEMPTS',
  /** The challenge is unknown, used or past its 10 minutes; sign in with the password again. */
  TwoStepExpired = 'TWO_STEP_EXPIRED',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL',
}

export const ERROR_STATUS: Record<ErrorCode, number> = {
  [ErrorCode.ValidationFailed]: 400,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.ContactEmailRequired]: 422,
  [ErrorCode.ContactEmailTaken]: 409,
  [ErrorCode.StaffEmailTaken]: 409,
  [ErrorCode.InviteAlreadyAccepted]: 409,
  [ErrorCode.InviteExpired]: 410,
  [ErrorCode.InviteRevoked]: 410,
  [ErrorCode.InviteInvalid]: 400,
  [ErrorCode.ContactNotInvited]: 409,
  [ErrorCode.TemplateInvalid]: 422,
  [ErrorCode.FileTooLarge]: 413,
  [ErrorCode.RateLimited]: 429,
  [ErrorCode.ResetLinkInvalid]: 400,
  [ErrorCode.ResetLinkUsed]: 410,
  [ErrorCode.ResetLinkExpired]: 410,
  [ErrorCode.ResetLinkSuperseded]: 410,
  [ErrorCode.CurrentPasswordIncorrect]: 403,
  [ErrorCode.TwoStepCodeInvalid]: 401,
  [ErrorCode.TwoStepTooManyAttempts]: 401,
  [ErrorCode.TwoStepExpired]: 401,
  [ErrorCode.ServiceUnavailable]: 503,
  [ErrorCode.Internal]: 500,
};

export interface FieldError {
  field: string;
  message: string;
}

/** A rule of the domain was broken. Thrown by services and libraries; only the edge makes it HTTP. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra members for the problem document, e.g. `errors` or `contactIds`. Never secrets. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
