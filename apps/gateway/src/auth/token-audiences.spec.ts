import { Controller, Get, INestApplication } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import { ProblemFilter } from '@cp/platform';
import { GatewayConfig } from '../config';
import { AccessTokens } from './access-tokens';
import { PortalAuthGuard, StaffAuthGuard, StaffRolesGuard } from './guards';
import { CurrentContact, CurrentStaff, PortalPrincipal, StaffPrincipal } from './principals';
import { PortalRoute, StaffRoute } from './route-decorators';
import { PortalJwtStrategy, StaffJwtStrategy } from './token-strategies';

// Both token kinds against both guards, in a small app on loopback: each audience opens its
// own routes only, and each guard hands the route the principal from the verified claims.
@Controller()
class ProbeController {
  @Get('staff-only')
  @StaffRoute()
  staff(@CurrentStaff() staff: StaffPrincipal) {
    return { userId: staff.userId, role: staff.role, firmId: staff.scope.firmId };
  }

  @Get('owners-only')
  @StaffRoute('owner')
  owners() {
    return { ok: true };
  }

  @Get('portal-only')
  @PortalRoute()
  portal(@CurrentContact() contact: PortalPrincipal) {
    return { portalAccountId: contact.portalAccountId, contactId: contact.contactId, firmId: contact.scope.firmId };
  }
}

describe('staff and portal token audiences', () => {
  const config = Object.assign(new GatewayConfig(), { JWT_SECRET: 'a'.repeat(32), ACCESS_TOKEN_TTL_SECONDS: 900 });
  let app: INestApplication;
  let base: string;
  let tokens: AccessTokens;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [PassportModule, JwtModule.register({ secret: config.JWT_SECRET })],
      controllers: [ProbeController],
      providers: [
        { provide: GatewayConfig, useValue: config },
        AccessTokens,
        StaffJwtStrategy,
        PortalJwtStrategy,
        StaffAuthGuard,
        PortalAuthGuard,
        StaffRolesGuard,
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemFilter());
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
    tokens = app.get(AccessTokens);
  });

  afterAll(async () => {
    await app.close();
  });

  async function call(path: string, token: string) {
    const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const staffUser = {
    id: 'user-1',
    firmId: 'firm-1',
    name: 'Ada',
    email: 'ada@example.com',
    role: 'staff' as const,
    createdAt: '',
    updatedAt: '',
  };

  it('a staff token opens staff routes, not portal routes', async () => {
    const token = await tokens.forStaff(staffUser);
    expect(await call('/staff-only', token)).toEqual({
      status: 200,
      body: { userId: 'user-1', role: 'staff', firmId: 'firm-1' },
    });
    expect(await call('/portal-only', token)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
  });

  it('a portal token opens portal routes, not staff routes', async () => {
    const token = await tokens.forPortal('account-1', { contactId: 'contact-1', firmId: 'firm-1' });
    expect(await call('/portal-only', token)).toEqual({
      status: 200,
      body: { portalAccountId: 'account-1', contactId: 'contact-1', firmId: 'firm-1' },
    });
    expect(await call('/staff-only', token)).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
  });

  it('a role the route does not allow is 403 FORBIDDEN', async () => {
    const staff = await tokens.forStaff(staffUser);
    const owner = await tokens.forStaff({ ...staffUser, role: 'owner' });
    expect(await call('/owners-only', staff)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await call('/owners-only', owner)).toEqual({ status: 200, body: { ok: true } });
  });
});
