import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { PortalAuthGuard, StaffAuthGuard, StaffPasswordGuard } from '../auth/guards';
import { recoveryAccount, signInAccount } from '../auth/rate-limits';
import { GATEWAY_CONTROLLERS } from '../gateway.module';
import { ResourceIdPipe } from './resource-id.pipe';

const CONTROLLERS = GATEWAY_CONTROLLERS;

/** The routes anyone may call; every other route must name the audience it serves. */
const PUBLIC = [
  'StaffAuthController.signUp',
  'StaffAuthController.refresh',
  'StaffAuthController.login',
  'StaffAuthController.logout',
  'PortalController.preview',
  'PortalController.accept',
  'PortalController.login',
  'PortalController.refresh',
  'PortalController.logout',
  'StaffAuthController.requestPasswordReset',
  'StaffAuthController.confirmPasswordReset',
  'PortalController.requestPasswordReset',
  'PortalController.confirmPasswordReset',
  'PortalController.requestNewLink',
  'TwoStepController.staffTwoStep',
  'TwoStepController.enrolWhileSigningIn',
  'TwoStepController.portalTwoStep',
];

function routesOf(controller: new (...args: never[]) => object) {
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto)
    .filter((name) => name !== 'constructor' && Reflect.hasMetadata(METHOD_METADATA, proto[name] as object))
    .map((name) => {
      const handler = proto[name] as object;
      const guards = [
        ...((Reflect.getMetadata(GUARDS_METADATA, controller) as unknown[] | undefined) ?? []),
        ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[] | undefined) ?? []),
      ];
      return {
        name: `${controller.name}.${name}`,
        guards,
        path: Reflect.getMetadata(PATH_METADATA, handler) as string,
      };
    });
}

describe('gateway routes', () => {
  const routes = CONTROLLERS.flatMap(routesOf);

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThanOrEqual(17);
  });

  it.each(routes.map((r) => [r.name, r] as const))('%s needs a staff or portal token, or is listed public', (_, r) => {
    const authenticated = r.guards.includes(StaffAuthGuard) || r.guards.includes(PortalAuthGuard);
    expect(authenticated || PUBLIC.includes(r.name)).toBe(true);
    if (PUBLIC.includes(r.name)) expect(r.guards.includes(StaffAuthGuard)).toBe(false);
  });

  it('checks the password on sign-in', () => {
    expect(routes.find((r) => r.name === 'StaffAuthController.login')?.guards).toContain(StaffPasswordGuard);
  });
});

describe('signInAccount', () => {
  it('tracks the email as LoginDto normalizes it, and survives bodies without one', () => {
    expect(signInAccount({ body: { email: '  Ada@Example.COM ' } })).toBe('email:ada@example.com');
    expect(signInAccount({ body: { challengeToken: 'abc.def' } })).toBe('challenge:abc.def');
    expect(signInAccount({ body: { email: 42 } })).toBe('email:(none)');
    expect(signInAccount({})).toBe('email:(none)');
  });
});

describe('recoveryAccount', () => {
  it('tracks the firm and email, else a digest of the token or of the bearer, never the secret itself', () => {
    expect(recoveryAccount({ body: { email: ' Ada@Example.COM', firm: 'acme' } })).toBe('email:acme/ada@example.com');
    const byToken = recoveryAccount({ body: { token: 'id.secret-value' } });
    expect(byToken).toMatch(/^token:/);
    expect(byToken).not.toContain('secret-value');
    expect(recoveryAccount({ body: {}, headers: { authorization: 'Bearer abc' } })).toMatch(/^session:/);
    expect(recoveryAccount({})).toBe('account:(none)');
  });
});

describe('ResourceIdPipe', () => {
  const pipe = new ResourceIdPipe('client');

  it('passes plausible ids and answers NOT_FOUND for anything else', () => {
    expect(pipe.transform('0f8fad5b-d9cb-469f-a165-70867728950e')).toBe('0f8fad5b-d9cb-469f-a165-70867728950e');
    for (const bad of ['', 'a'.repeat(65), '../firms', 'a b', '{"$ne":null}']) {
      expect(() => pipe.transform(bad)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    }
  });
});
