import { AppName, ServiceProcess, testStackEnv } from '@cp/testing';

// A service started with a bad variable must stop at once, non-zero, naming the variable.
describe('configuration is validated at boot', () => {
  const cases: [AppName, string, string | undefined][] = [
    ['contacts', 'MONGO_URL', 'postgres://nope'],
    ['invites', 'PORTAL_URL', 'not a url'],
    ['notifications', 'SMTP_URL', undefined],
    ['files', 'S3_ENDPOINT', 'ftp://files'],
    ['gateway', 'JWT_SECRET', 'short'],
    ['contacts', 'KAFKA_BROKERS', 'localhost'],
    ['contacts', 'PORT', 'eighty'],
  ];

  let service: ServiceProcess | undefined;
  afterEach(async () => {
    await service?.kill(); // a service that wrongly started must not outlive the test
  });

  it.each(cases)(
    '%s exits naming %s',
    async (app, variable, value) => {
      const env = testStackEnv({ PORT: '3199' });
      if (value === undefined) delete env[variable];
      else env[variable] = value;
      service = new ServiceProcess(app, env).start();
      const code = await service.waitExit(20_000);
      expect(code).not.toBe(0);
      expect(service.logs).toContain(variable);
      expect(service.logs).toContain('invalid configuration');
    },
    30_000,
  );
});
