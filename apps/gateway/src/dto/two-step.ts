import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ChallengeMethod, PORTAL_TWO_STEP, STAFF_TWO_STEP } from '@cp/contracts';
import { StaffTokensModel } from './views';

export class TwoStepChallengeModel {
  @ApiProperty({
    description: 'Single use, 10 minutes, 5 codes: send it with the code to the two-step route.',
  })
  challengeToken!: string;
  @ApiProperty({
    enum: ['email', 'totp', 'totp-enrol'],
    description:
      '`email`: a code was emailed; `totp`: the authenticator app (or a recovery code); `totp-enrol`: the firm requires an authenticator and none is set up: enrol first (POST /v1/auth/totp/enrol with the challenge token), then send its first code.',
  })
  method!: ChallengeMethod;
}

export class StaffTwoStepTokensModel extends StaffTokensModel {
  @ApiPropertyOptional({
    type: [String],
    description: 'Only after enrolling while signing in: the ten single-use recovery codes, shown this once.',
  })
  recoveryCodes?: string[];
}

export class SecuritySettingsModel {
  @ApiProperty({ enum: PORTAL_TWO_STEP }) portalTwoStep!: string;
  @ApiProperty({ enum: STAFF_TWO_STEP }) staffTwoStep!: string;
}

export class TotpEnrolmentModel {
  @ApiProperty({ example: 'otpauth://totp/Client%20Portal:ada%40example.com?secret=…&issuer=Client%20Portal' })
  otpauthUri!: string;
  @ApiProperty({ description: 'The same URI as a QR code: a PNG data URL for an <img>.' })
  qrCode!: string;
}

export class RecoveryCodesModel {
  @ApiProperty({ type: [String], description: 'Ten single-use recovery codes, shown this once (stored hashed).' })
  recoveryCodes!: string[];
}

export class StaffTwoStepStatusModel {
  @ApiProperty() enrolled!: boolean;
  @ApiProperty() recoveryCodesLeft!: number;
}
