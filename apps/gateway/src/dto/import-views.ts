// OpenAPI models of a contacts import (POST /v1/clients/import, GET /v1/imports/:importId).
import { ApiProperty } from '@nestjs/swagger';
import {
  IMPORT_ROW_CODES,
  IMPORT_ROW_STATUSES,
  IMPORT_STATUSES,
  ImportCounts,
  ImportRowCode,
  ImportRowInvite,
  ImportRowResult,
  ImportRowStatus,
  ImportStatus,
  ImportView,
} from '@cp/contracts';

export class ImportRowInviteModel implements ImportRowInvite {
  @ApiProperty({ enum: ['sent', 'skipped'] }) status!: 'sent' | 'skipped';
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it was skipped, as the bulk invite says it (e.g. INVITE_ALREADY_ACCEPTED, SERVICE_UNAVAILABLE).',
  })
  code!: string | null;
  @ApiProperty({ type: String, nullable: true }) detail!: string | null;
}

export class ImportRowModel implements ImportRowResult {
  @ApiProperty({ example: 2, description: 'The row as a spreadsheet numbers it: the header is row 1.' }) row!: number;
  @ApiProperty({
    enum: IMPORT_ROW_STATUSES,
    description:
      '`created` a new contact; `updated` an existing contact got this row’s client or its missing phone; ' +
      '`unchanged` it already had both; `skipped` nothing was written (see `code`).',
  })
  status!: ImportRowStatus;
  @ApiProperty({ enum: IMPORT_ROW_CODES, nullable: true, description: 'Why the row was skipped; stable.' })
  code!: ImportRowCode | null;
  @ApiProperty({ type: String, nullable: true, example: 'A first and a last name are both required.' })
  detail!: string | null;
  @ApiProperty({ type: String, nullable: true }) clientName!: string | null;
  @ApiProperty({ type: String, nullable: true }) firstName!: string | null;
  @ApiProperty({ type: String, nullable: true }) lastName!: string | null;
  @ApiProperty({ type: String, nullable: true }) email!: string | null;
  @ApiProperty({ type: String, nullable: true }) clientId!: string | null;
  @ApiProperty({ type: String, nullable: true }) contactId!: string | null;
  @ApiProperty({
    type: ImportRowInviteModel,
    nullable: true,
    description: 'With invite=true: the invite of the contact of this row (on its first row only).',
  })
  invite!: ImportRowInviteModel | null;
}

export class ImportCountsModel implements ImportCounts {
  @ApiProperty() created!: number;
  @ApiProperty() updated!: number;
  @ApiProperty() unchanged!: number;
  @ApiProperty() skipped!: number;
  @ApiProperty({ description: 'Clients created (rows name clients by name).' }) clientsCreated!: number;
  @ApiProperty() invitesSent!: number;
  @ApiProperty() invitesSkipped!: number;
}

export class ImportErrorModel {
  @ApiProperty({ example: 'INTERNAL' }) code!: string;
  @ApiProperty() detail!: string;
}

export class ImportModel implements ImportView {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: IMPORT_STATUSES }) status!: ImportStatus;
  @ApiProperty({ example: 'contacts.csv' }) fileName!: string;
  @ApiProperty({ description: 'Whether every imported contact with an email is invited.' }) invite!: boolean;
  @ApiProperty({ description: 'Data rows in the file.' }) total!: number;
  @ApiProperty({ description: 'Rows with a result so far.' }) processed!: number;
  @ApiProperty({ type: ImportCountsModel }) counts!: ImportCountsModel;
  @ApiProperty({ type: ImportErrorModel, nullable: true, description: 'Why a failed import stopped.' })
  error!: ImportErrorModel | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;
  @ApiProperty({ type: [ImportRowModel], description: 'A page of per-row results, in file order.' })
  rows!: ImportRowModel[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next rows; null at the end.' })
  nextCursor!: string | null;
}
