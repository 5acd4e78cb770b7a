// OpenAPI models of what the gateway answers. The shapes are the contracts' view interfaces;
// `implements` keeps each model in step with its interface at compile time.
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CLIENT_KINDS,
  ClientKind,
  ClientView,
  ContactView,
  DELIVERY_KINDS,
  DELIVERY_STATUSES,
  DeliveryStatusName,
  DeliveryView,
  DocumentRequestStatus,
  DocumentRequestView,
  FileView,
  FirmView,
  InvitePreview,
  InviteStatus,
  InviteView,
  PortalAccountView,
  RenderedEmail,
  TemplateView,
  REQUEST_STATUSES,
  Page,
  PortalState,
  PortalStatus,
  STAFF_ROLES,
  StaffRole,
  StaffUserView,
} from '@cp/contracts';

const PORTAL_STATES: PortalState[] = ['not_invited', 'invited', 'accepted', 'revoked', 'expired'];

abstract class Resource {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class FirmModel extends Resource implements FirmView {
  @ApiProperty({ example: 'Lovelace & Co. CPAs' }) name!: string;
  @ApiProperty({ example: 'lovelace-co-cpas', description: 'Unique; contacts name it to sign in to the portal.' })
  slug!: string;
  @ApiProperty({ type: String, nullable: true, example: 'https://lovelace.example/logo.png' }) logoUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '#1f4b99' }) brandColor!: string | null;
}

export class StaffUserModel extends Resource implements StaffUserView {
  @ApiProperty() firmId!: string;
  @ApiProperty({ example: 'Ada Lovelace' }) name!: string;
  @ApiProperty({ example: 'ada@lovelace.example' }) email!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: StaffRole;
}

export class ClientModel extends Resource implements ClientView {
  @ApiProperty({ example: 'The Babbage Household' }) name!: string;
  @ApiProperty({ enum: CLIENT_KINDS }) kind!: ClientKind;
}

export class PortalStatusModel implements PortalStatus {
  @ApiProperty({ enum: PORTAL_STATES, description: '`accepted` is the check mark.' }) state!: PortalState;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) invitedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acceptedAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: '`invited` with null here is "invited but never logged in".',
  })
  lastLoginAt!: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the contact asked for a new link from an expired or revoked one ("asked for a new link <date>"); null once a newer invite was sent or the contact accepted.',
  })
  newLinkRequestedAt!: string | null;
}

export class InviteEmailModel {
  @ApiProperty({ enum: ['sent', 'failed'] }) status!: 'sent' | 'failed';
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class ContactModel extends Resource implements ContactView {
  @ApiProperty({ type: [String], description: 'Clients of this firm the contact belongs to.' }) clientIds!: string[];
  @ApiProperty({ example: 'Ada' }) firstName!: string;
  @ApiProperty({ example: 'Lovelace' }) lastName!: string;
  @ApiProperty({ type: String, nullable: true, example: 'ada@example.com' }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: PortalStatusModel }) portal!: PortalStatusModel;
  @ApiProperty({
    type: InviteEmailModel,
    nullable: true,
    description: 'What became of the latest invite email.',
  })
  inviteEmail!: InviteEmailModel | null;
}

abstract class PageModel {
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page; null at the end.' })
  nextCursor!: string | null;
}

export class ClientPage extends PageModel implements Page<ClientView> {
  @ApiProperty({ type: [ClientModel] }) items!: ClientModel[];
}

export class ContactPage extends PageModel implements Page<ContactView> {
  @ApiProperty({ type: [ContactModel] }) items!: ContactModel[];
}

export class StaffUserPage extends PageModel implements Page<StaffUserView> {
  @ApiProperty({ type: [StaffUserModel] }) items!: StaffUserModel[];
}

/** The signed-in staff member and their firm. */
export class StaffIdentityModel {
  @ApiProperty({ type: StaffUserModel }) user!: StaffUserModel;
  @ApiProperty({ type: FirmModel }) firm!: FirmModel;
}

export class StaffTokensModel {
  @ApiProperty({ description: 'Bearer token for staff routes (JWT, audience `staff`).' }) accessToken!: string;
  @ApiPropertyOptional({
    description:
      'Single use: POST it to /v1/auth/refresh for the next pair. Absent when it was set as the browser cookie.',
  })
  refreshToken?: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires.' }) expiresIn!: number;
  @ApiProperty({ type: StaffUserModel }) user!: StaffUserModel;
}

export class PortalTokensModel {
  @ApiProperty({ description: 'Bearer token for portal routes (JWT, audience `portal`).' }) accessToken!: string;
  @ApiPropertyOptional({
    description:
      'Single use: POST it to /v1/portal/auth/refresh for the next pair. Absent when it was set as the browser cookie.',
  })
  refreshToken?: string;
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires.' }) expiresIn!: number;
}

export class FirmSignUpModel extends StaffTokensModel {
  @ApiProperty({ type: FirmModel }) firm!: FirmModel;
}

export class FieldErrorModel {
  @ApiProperty({ example: 'email' }) field!: string;
  @ApiProperty({ example: 'email must be an email' }) message!: string;
}

export class TemplatePositionModel {
  @ApiProperty({ example: 2, description: 'From 1.' }) line!: number;
  @ApiProperty({ example: 7, description: 'From 1.' }) column!: number;
}

/** RFC 9457 problem details with our stable code. */
export class ProblemModel {
  @ApiProperty({ example: 'https://client-portal.dev/problems/not-found' }) type!: string;
  @ApiProperty({ example: 'Not Found' }) title!: string;
  @ApiProperty({ example: 404 }) status!: number;
  @ApiProperty({ example: 'No such client.' }) detail!: string;
  @ApiProperty({ example: 'NOT_FOUND', description: 'Stable; clients branch on it.' }) code!: string;
  @ApiPropertyOptional({ type: [FieldErrorModel], description: 'VALIDATION_FAILED: one entry per problem.' })
  errors?: FieldErrorModel[];
  @ApiPropertyOptional({ description: 'CONTACT_EMAIL_TAKEN: the contact that already has the email.' })
  contactId?: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'CONTACT_NOT_INVITED: the contacts to invite first; NOT_FOUND on sharing: the unknown contacts.',
  })
  contactIds?: string[];
  @ApiPropertyOptional({ description: "FILE_TOO_LARGE: the firm's upload limit in bytes." })
  maxUploadBytes?: number;
  @ApiPropertyOptional({ description: 'FILE_TOO_LARGE on a contacts import: the most rows a file may have.' })
  maxRows?: number;
  @ApiPropertyOptional({ description: 'FILE_TOO_LARGE on a contacts import: the largest file in bytes.' })
  maxBytes?: number;
  @ApiPropertyOptional({
    type: TemplatePositionModel,
    nullable: true,
    description: 'TEMPLATE_INVALID: where in the subject or body the template breaks.',
  })
  position?: TemplatePositionModel | null;
}

export class FileModel extends Resource implements FileView {
  @ApiProperty() clientId!: string;
  @ApiProperty({ example: 'W-2 2025.pdf', description: 'The sanitised original name (never part of a storage key).' })
  name!: string;
  @ApiProperty({ example: 'application/pdf', description: "Detected from the bytes, not the uploader's claim." })
  contentType!: string;
  @ApiProperty({ description: 'Bytes' }) size!: number;
  @ApiProperty({ description: 'Hex SHA-256 of the bytes, computed while they streamed in.' }) sha256!: string;
  @ApiProperty({ type: [String], description: 'Contacts who see it in the portal.' }) sharedWith!: string[];
  @ApiProperty({ description: 'A staff user id, or a contact id for portal uploads.' }) uploadedBy!: string;
  @ApiProperty({ enum: ['staff', 'contact'] }) uploaderKind!: 'staff' | 'contact';
  @ApiProperty({ type: String, nullable: true, description: 'The document request it fulfils.' })
  requestId!: string | null;
}

export class FilePage extends PageModel implements Page<FileView> {
  @ApiProperty({ type: [FileModel] }) items!: FileModel[];
}

export class DocumentRequestModel extends Resource implements DocumentRequestView {
  @ApiProperty() clientId!: string;
  @ApiProperty({ example: '2025 W-2 forms' }) title!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: [String] }) contactIds!: string[];
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) dueDate!: string | null;
  @ApiProperty({ enum: REQUEST_STATUSES, description: '`done` once a contact uploaded a file for it.' })
  status!: DocumentRequestStatus;
  @ApiProperty({ type: [String], description: 'The files uploaded to fulfil it.' }) fileIds!: string[];
  @ApiProperty({ type: String, nullable: true, description: 'The contact whose upload fulfilled it.' })
  fulfilledBy!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) fulfilledAt!: string | null;
  @ApiProperty({ description: 'The staff user who asked.' }) createdBy!: string;
}

export class DocumentRequestPage extends PageModel implements Page<DocumentRequestView> {
  @ApiProperty({ type: [DocumentRequestModel] }) items!: DocumentRequestModel[];
}

const INVITE_STATUSES: InviteStatus[] = ['pending', 'accepted', 'revoked', 'expired'];

export class InviteModel extends Resource implements InviteView {
  @ApiProperty() contactId!: string;
  @ApiProperty() clientId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: INVITE_STATUSES }) status!: InviteStatus;
  @ApiProperty({ type: String, nullable: true }) message!: string | null;
  @ApiProperty({ type: String, nullable: true }) templateId!: string | null;
  @ApiProperty({ description: 'The staff user who sent it last.' }) sentBy!: string;
  @ApiProperty() sendCount!: number;
  @ApiProperty({ format: 'date-time' }) lastSentAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acceptedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
  @ApiProperty({ type: InviteEmailModel, nullable: true, description: 'The latest email of this invite.' })
  lastEmail!: InviteEmailModel | null;
}

export class InvitePage extends PageModel implements Page<InviteView> {
  @ApiProperty({ type: [InviteModel] }) items!: InviteModel[];
}

export class BulkInviteResultModel {
  @ApiProperty() contactId!: string;
  @ApiProperty({ enum: ['sent', 'skipped'] }) status!: 'sent' | 'skipped';
  @ApiPropertyOptional({ description: 'When sent.' }) inviteId?: string;
  @ApiPropertyOptional({ description: 'When skipped: e.g. CONTACT_EMAIL_REQUIRED, INVITE_ALREADY_ACCEPTED.' })
  code?: string;
  @ApiPropertyOptional({ description: 'When skipped: the reason in words.' }) detail?: string;
}

export class BulkInviteAnswerModel {
  @ApiProperty({ type: [BulkInviteResultModel] }) results!: BulkInviteResultModel[];
}

export class InviteFirmModel {
  @ApiProperty() name!: string;
  @ApiProperty() slug!: string;
  @ApiProperty({ type: String, nullable: true }) logoUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) brandColor!: string | null;
}

export class InvitePreviewModel implements InvitePreview {
  @ApiProperty({ type: InviteFirmModel, nullable: true, description: 'Null when the link matches no invite.' })
  firm!: InviteFirmModel | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty() valid!: boolean;
  @ApiProperty({ enum: ['accepted', 'revoked', 'expired', 'unknown'], nullable: true, type: String })
  reason!: 'accepted' | 'revoked' | 'expired' | 'unknown' | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
}

export class PortalAccountModel implements PortalAccountView {
  @ApiProperty() id!: string;
  @ApiProperty() firmId!: string;
  @ApiProperty() firmSlug!: string;
  @ApiProperty() contactId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastLoginAt!: string | null;
  @ApiProperty({
    description: "The contact's own choice of a code by email at sign-in (when the firm's portalTwoStep is optional).",
  })
  twoStepEnabled!: boolean;
}

export class PortalContactModel {
  @ApiProperty() firstName!: string;
  @ApiProperty() lastName!: string;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: [String] }) clientIds!: string[];
}

export class PortalMeModel {
  @ApiProperty({ type: PortalAccountModel }) account!: PortalAccountModel;
  @ApiProperty({ type: PortalContactModel }) contact!: PortalContactModel;
}

export class TemplateModel extends Resource implements TemplateView {
  @ApiProperty() name!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'Handlebars: {{contact.firstName}}, {{firm.name}}, {{message}}, {{link}}, …' })
  body!: string;
  @ApiProperty({ description: 'Presets ship with the product and cannot be changed.' }) preset!: boolean;
}

export class TemplatePage extends PageModel implements Page<TemplateView> {
  @ApiProperty({ type: [TemplateModel] }) items!: TemplateModel[];
}

export class RenderedEmailModel implements RenderedEmail {
  @ApiProperty() subject!: string;
  @ApiProperty() html!: string;
  @ApiProperty() text!: string;
}

export class AcceptedRequestModel {
  @ApiProperty({
    enum: ['accepted'],
    description: 'The same answer whatever the account or token: nothing here says whether it exists.',
  })
  status!: 'accepted';
}

export class PortalResetDoneModel {
  @ApiProperty({ example: 'lovelace-co-cpas', description: "The firm's slug, for its portal sign-in page." })
  firm!: string;
}

export class DeliveryModel extends Resource implements DeliveryView {
  @ApiProperty({ enum: DELIVERY_KINDS })
  kind!: DeliveryView['kind'];
  @ApiProperty({ type: String, nullable: true }) inviteId!: string | null;
  @ApiProperty({ type: String, nullable: true }) contactId!: string | null;
  @ApiProperty({ example: 'ada@example.com' }) to!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatusName;
  @ApiProperty() attempts!: number;
  @ApiProperty({ description: 'Attempts cut short by a crash; the email was resent with the same Message-ID.' })
  interruptedAttempts!: number;
  @ApiProperty({ type: String, nullable: true, description: "The SMTP server's answer to the last failed attempt." })
  lastError!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) sentAt!: string | null;
}

export class DeliveryPage extends PageModel implements Page<DeliveryView> {
  @ApiProperty({ type: [DeliveryModel] }) items!: DeliveryModel[];
}
