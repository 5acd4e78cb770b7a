import { Body, Controller, HttpCode, Param, Post, Put } from '@nestjs/common';
import {
  PortalAccountView,
  PortalSignInDto,
  PortalSignInOutcome,
  PortalTwoStepPreferenceDto,
  TwoStepInternalDto,
} from '@cp/contracts';
import { firmScope } from '@cp/platform';
import { PortalSignIn } from '../use-cases/portal-sign-in.use-case';
import { toPortalAccountView } from './views';

/** Internal: the portal's password and second-step sign-in; the gateway signs the access tokens. */
@Controller()
export class PortalSignInController {
  constructor(private readonly signIn: PortalSignIn) {}

  @Post('portal/auth/sign-in')
  @HttpCode(200)
  async password(@Body() body: PortalSignInDto): Promise<PortalSignInOutcome> {
    return this.signIn.signIn(body);
  }

  @Post('portal/auth/two-step')
  @HttpCode(200)
  async twoStep(@Body() body: TwoStepInternalDto): Promise<PortalSignInOutcome> {
    return this.signIn.twoStep(body);
  }

  @Put('firms/:firmId/portal-accounts/:accountId/two-step')
  async preference(
    @Param('firmId') firmId: string,
    @Param('accountId') accountId: string,
    @Body() body: PortalTwoStepPreferenceDto,
  ): Promise<PortalAccountView> {
    return toPortalAccountView(await this.signIn.setPreference(firmScope(firmId), accountId, body.enabled));
  }
}
