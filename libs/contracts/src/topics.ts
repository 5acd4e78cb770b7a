/** Every Kafka topic of the system. Nothing outside libs/contracts names a topic. */
export enum Topic {
  ContactAdded = 'contact.added',
  ContactUpdated = 'contact.updated',
  InviteSent = 'invite.sent',
  InviteAccepted = 'invite.accepted',
  InviteRevoked = 'invite.revoked',
  InviteExpired = 'invite.expired',
  PortalLogin = 'portal.login',
  FileShared = 'file.shared',
  FileUploaded = 'file.uploaded',
  NotificationSent = 'notification.sent',
  NotificationFailed = 'notification.failed',
  SignInSucceeded = 'auth.sign-in-succeeded',
  SignInFailed = 'auth.sign-in-failed',
  PasswordChanged = 'auth.password-changed',
  TwoStepChanged = 'auth.two-step-changed',
  FileDownloaded = 'file.downloaded',
  NewLinkRequested = 'invite.new-link-requested',
  FileDeleted = 'file.deleted',
  DocumentRequestCreated = 'request.created',
  DocumentRequestFulfilled = 'request.fulfilled',
  StaffAdded = 'staff.added',
  StaffRemoved = 'staff.removed',
  SettingsChanged = 'settings.changed',
  EmailTemplateChanged = 'email-template.changed',
  /**
   * Internal command from invites to notifications: "email this invite". Its link is sealed
   * (AES-256-GCM) for the notifications service, so the topic carries no readable secret.
   */
  InviteEmailRequested = 'internal.invite-email-requested',
  /**
   * Internal command from contacts (staff) and invites (portal) to notifications: "email this
   * password-reset link". The link is sealed like the invite link's.
   */
  PasswordResetEmailRequested = 'internal.password-reset-email-requested',
  /** Internal command from contacts to notifications: tell these staff a contact asked for a new link. */
  NewLinkEmailRequested = 'internal.new-link-email-requested',
  /** Internal command from invites to notifications: "email this sign-in code" (the code sealed). */
  TwoStepCodeRequested = 'internal.two-step-code-requested',
}

/** Where a message that could not be processed is parked, with the reason in its headers. */
export function deadLetterTopic(topic: Topic | string): string {
  return `${topic}.dead-letter`;
}
