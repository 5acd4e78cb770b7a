import { Topic } from './topics';

/**
 * The event catalogue: for each topic, its type name, schema version and payload.
 * Payloads never carry a secret (invite token, password, presigned URL).
 */
export interface ContactAddedData {
  contactId: string;
  clientIds: string[];
  firstName: string;
  lastName: string;
  email: string | null;
}

export interface ContactUpdatedData {
  contactId: string;
  /** Only the fields that changed, with their new values. */
  changed: Partial<Omit<ContactAddedData, 'contactId'>> & { phone?: string | null };
}

export interface InviteSentData {
  inviteId: string;
  contactId: string;
  clientId: string;
  email: string;
  expiresAt: string;
  sentBy: string;
  resend: boolean;
}

export interface InviteAcceptedData {
  inviteId: string;
  contactId: string;
  clientId: string;
  acceptedAt: string;
}

export interface InviteEndedData {
  inviteId: string;
  contactId: string;
}

export interface PortalLoginData {
  contactId: string;
  at: string;
}

export interface FileSharedData {
  fileId: string;
  clientId: string;
  /** Every contact the file is shared with now (the whole list, not a change). */
  contactIds: string[];
  /** The sanitised file name as the firm and the contacts see it. */
  name: string;
  /** The contacts this change shared the file with; absent in events from before this field. */
  added?: string[];
  /** The contacts this change stopped sharing the file with; absent in events from before this field. */
  removed?: string[];
}

export interface FileUploadedData {
  fileId: string;
  clientId: string;
  /** The uploader's id: a contact id when uploaderKind is `contact`, a staff user id otherwise. */
  uploadedBy: string;
  uploaderKind: 'contact' | 'staff';
  /** The sanitised file name. */
  name: string;
  size: number;
  /** The document request this upload fulfils, if any. */
  requestId: string | null;
}

export interface NotificationResultData {
  notificationId: string;
  inviteId?: string;
  contactId?: string;
  to: string;
  reason?: string;
}

/** Who an account event is about: a staff user (id) or a contact's portal account (contactId). */
export type AccountKind = 'staff' | 'contact';

/** Where an account action came from; null when the request did not say. */
interface AccountEventBase {
  accountId: string;
  accountKind: AccountKind;
  ip: string | null;
  userAgent: string | null;
}

export interface SignInSucceededData extends AccountEventBase {
  /** How the second step was passed; `none` when none was due. */
  secondStep: 'none' | 'email' | 'totp' | 'recovery-code' | 'trusted-device';
}

export interface SignInFailedData extends Omit<AccountEventBase, 'accountId'> {
  /** null when no account has the address tried (the address itself is not recorded here). */
  accountId: string | null;
  stage: 'password' | 'second-step';
  /** A stable word: bad-credentials, bad-code, too-many-attempts, expired… Never the secret tried. */
  reason: string;
}

export interface PasswordChangedData extends AccountEventBase {
  via: 'reset' | 'change';
}

export interface TwoStepChangedData extends AccountEventBase {
  change: 'enrolled' | 'reset' | 'recovery-codes-renewed';
  /** Who made the change: the account itself, or an owner resetting a staff member. */
  by: string;
}

export interface FileDownloadedData {
  fileId: string;
  clientId: string;
  /** A staff user id when byKind is `staff`, a contact id otherwise. */
  by: string;
  byKind: AccountKind;
}

export interface NewLinkRequestedData {
  inviteId: string;
  contactId: string;
  inviteState: 'expired' | 'revoked';
  /** The client the invite was for, and the staff user who sent it (told first). */
  clientId?: string;
  invitedBy?: string;
}

export interface FileDeletedData {
  fileId: string;
  clientId: string;
  name: string;
}

export interface DocumentRequestCreatedData {
  requestId: string;
  clientId: string;
  title: string;
  contactIds: string[];
}

export interface DocumentRequestFulfilledData {
  requestId: string;
  clientId: string;
  fileId: string;
  /** The contact whose upload fulfilled it. */
  fulfilledBy: string;
}

export interface StaffAddedData {
  userId: string;
  name: string;
  email: string;
  role: string;
}

export interface StaffRemovedData {
  userId: string;
  email: string;
}

/** Which of the firm's settings changed: the section's route under /v1/settings, or the branding. */
export type SettingsSection = 'invites' | 'reminders' | 'files' | 'security' | 'branding';

export interface SettingsChangedData {
  section: SettingsSection;
  /** The section's new values as the API shows them (never a secret). */
  values: Record<string, unknown>;
}

export interface EmailTemplateChangedData {
  templateId: string;
  name: string;
  change: 'created' | 'updated' | 'deleted';
}

/** How a firm's emails look; null fields fall back to the portal's own look. */
export interface FirmBranding {
  /** An https URL of the firm's logo, shown on top of every email. */
  logoUrl: string | null;
  /** `#rrggbb`, used for the heading and the button. */
  brandColor: string | null;
}

export interface InviteEmailRequestedData {
  inviteId: string;
  contactId: string;
  /** Which send of this invite: with inviteId, the idempotency key of the email. */
  sendNumber: number;
  to: string;
  contactFirstName: string;
  contactLastName: string;
  firmName: string;
  /** Absent in commands written before branding existed: the portal's own look. */
  firmBranding?: FirmBranding;
  /** The staff member who sent this link; told when the contact accepts or uploads a file. */
  inviterId?: string;
  inviterEmail?: string;
  inviterName: string;
  message: string | null;
  templateId: string | null;
  expiresAt: string;
  /** The "Create Account" URL, sealed for the notifications service only. */
  sealedLink: string;
}

export interface PasswordResetEmailRequestedData {
  /** The reset link's id (not its secret): with the account, the idempotency key of the email. */
  resetId: string;
  accountKind: AccountKind;
  accountId: string;
  to: string;
  name: string;
  firmName: string;
  firmBranding?: FirmBranding;
  expiresAt: string;
  /** The reset URL, sealed for the notifications service only. */
  sealedLink: string;
}

export interface NewLinkEmailRequestedData {
  inviteId: string;
  contactId: string;
  clientId: string | null;
  /** When the contact asked; with inviteId, the idempotency key of the emails. */
  requestedAt: string;
  inviteState: 'expired' | 'revoked';
  /** The staff who get the email: the inviter, or the firm's owners when the inviter is gone. */
  to: string[];
  contactFirstName: string;
  contactLastName: string;
  contactEmail: string | null;
  firmName: string;
  /** The contact in the firm app (not a secret). */
  contactUrl: string;
}

export interface TwoStepCodeRequestedData {
  /** The sign-in challenge the code belongs to: with it, the idempotency key of the email. */
  challengeId: string;
  contactId: string;
  to: string;
  firmName: string;
  expiresAt: string;
  /** The 6-digit code, sealed (AES-256-GCM) for the notifications service only. */
  sealedCode: string;
}

/** Topic → [type name, payload]. The single source for typed publishing and handling. */
export interface EventCatalog {
  [Topic.ContactAdded]: { type: 'ContactAdded'; data: ContactAddedData };
  [Topic.ContactUpdated]: { type: 'ContactUpdated'; data: ContactUpdatedData };
  [Topic.InviteSent]: { type: 'InviteSent'; data: InviteSentData };
  [Topic.InviteAccepted]: { type: 'InviteAccepted'; data: InviteAcceptedData };
  [Topic.InviteRevoked]: { type: 'InviteRevoked'; data: InviteEndedData };
  [Topic.InviteExpired]: { type: 'InviteExpired'; data: InviteEndedData };
  [Topic.PortalLogin]: { type: 'PortalLogin'; data: PortalLoginData };
  [Topic.FileShared]: { type: 'FileShared'; data: FileSharedData };
  [Topic.FileUploaded]: { type: 'FileUploaded'; data: FileUploadedData };
  [Topic.NotificationSent]: { type: 'NotificationSent'; data: NotificationResultData };
  [Topic.NotificationFailed]: { type: 'NotificationFailed'; data: NotificationResultData };
  [Topic.SignInSucceeded]: { type: 'SignInSucceeded'; data: SignInSucceededData };
  [Topic.SignInFailed]: { type: 'SignInFailed'; data: SignInFailedData };
  [Topic.PasswordChanged]: { type: 'PasswordChanged'; data: PasswordChangedData };
  [Topic.TwoStepChanged]: { type: 'TwoStepChanged'; data: TwoStepChangedData };
  [Topic.FileDownloaded]: { type: 'FileDownloaded'; data: FileDownloadedData };
  [Topic.NewLinkRequested]: { type: 'NewLinkRequested'; data: NewLinkRequestedData };
  [Topic.FileDeleted]: { type: 'FileDeleted'; data: FileDeletedData };
  [Topic.DocumentRequestCreated]: { type: 'DocumentRequestCreated'; data: DocumentRequestCreatedData };
  [Topic.DocumentRequestFulfilled]: { type: 'DocumentRequestFulfilled'; data: DocumentRequestFulfilledData };
  [Topic.StaffAdded]: { type: 'StaffAdded'; data: StaffAddedData };
  [Topic.StaffRemoved]: { type: 'StaffRemoved'; data: StaffRemovedData };
  [Topic.SettingsChanged]: { type: 'SettingsChanged'; data: SettingsChangedData };
  [Topic.EmailTemplateChanged]: { type: 'EmailTemplateChanged'; data: EmailTemplateChangedData };
  [Topic.InviteEmailRequested]: { type: 'InviteEmailRequested'; data: InviteEmailRequestedData };
  [Topic.PasswordResetEmailRequested]: {
    type: 'PasswordResetEmailRequested';
    data: PasswordResetEmailRequestedData;
  };
  [Topic.NewLinkEmailRequested]: { type: 'NewLinkEmailRequested'; data: NewLinkEmailRequestedData };
  [Topic.TwoStepCodeRequested]: { type: 'TwoStepCodeRequested'; data: TwoStepCodeRequestedData };
}

export type EventType<T extends Topic> = EventCatalog[T]['type'];
export type EventData<T extends Topic> = EventCatalog[T]['data'];

export const EVENT_TYPES: { [T in Topic]: { type: EventType<T>; version: number } } = {
  [Topic.ContactAdded]: { type: 'ContactAdded', version: 1 },
  [Topic.ContactUpdated]: { type: 'ContactUpdated', version: 1 },
  [Topic.InviteSent]: { type: 'InviteSent', version: 1 },
  [Topic.InviteAccepted]: { type: 'InviteAccepted', version: 1 },
  [Topic.InviteRevoked]: { type: 'InviteRevoked', version: 1 },
  [Topic.InviteExpired]: { type: 'InviteExpired', version: 1 },
  [Topic.PortalLogin]: { type: 'PortalLogin', version: 1 },
  [Topic.FileShared]: { type: 'FileShared', version: 1 },
  [Topic.FileUploaded]: { type: 'FileUploaded', version: 1 },
  [Topic.NotificationSent]: { type: 'NotificationSent', version: 1 },
  [Topic.NotificationFailed]: { type: 'NotificationFailed', version: 1 },
  [Topic.SignInSucceeded]: { type: 'SignInSucceeded', version: 1 },
  [Topic.SignInFailed]: { type: 'SignInFailed', version: 1 },
  [Topic.PasswordChanged]: { type: 'PasswordChanged', version: 1 },
  [Topic.TwoStepChanged]: { type: 'TwoStepChanged', version: 1 },
  [Topic.FileDownloaded]: { type: 'FileDownloaded', version: 1 },
  [Topic.NewLinkRequested]: { type: 'NewLinkRequested', version: 1 },
  [Topic.FileDeleted]: { type: 'FileDeleted', version: 1 },
  [Topic.DocumentRequestCreated]: { type: 'DocumentRequestCreated', version: 1 },
  [Topic.DocumentRequestFulfilled]: { type: 'DocumentRequestFulfilled', version: 1 },
  [Topic.StaffAdded]: { type: 'StaffAdded', version: 1 },
  [Topic.StaffRemoved]: { type: 'StaffRemoved', version: 1 },
  [Topic.SettingsChanged]: { type: 'SettingsChanged', version: 1 },
  [Topic.EmailTemplateChanged]: { type: 'EmailTemplateChanged', version: 1 },
  [Topic.InviteEmailRequested]: { type: 'InviteEmailRequested', version: 1 },
  [Topic.PasswordResetEmailRequested]: { type: 'PasswordResetEmailRequested', version: 1 },
  [Topic.NewLinkEmailRequested]: { type: 'NewLinkEmailRequested', version: 1 },
  [Topic.TwoStepCodeRequested]: { type: 'TwoStepCodeRequested', version: 1 },
};
