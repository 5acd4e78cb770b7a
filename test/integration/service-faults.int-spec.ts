import { ROOT } from '@cp/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// A rejection nobody handled is a bug, but one request's: the service logs it as one JSON line,
// counts it (GET /health shows `unhandledRejections`), and keeps serving. Run in a plain Node
// process with the built handler, as every service installs it at boot.
describe('a promise rejection nobody handled', () => {
  it('is logged and counted, and the process carries on', () => {
    const faults = join(ROOT, 'dist', 'apps', 'files', 'libs', 'platform', 'src', 'process-faults.js');
    const script = `
      const faults = require(${JSON.stringify(faults)});
      faults.countUnhandledRejections('demo');
      Promise.reject(new Error('first'));
      Promise.reject('second');
      setTimeout(() => console.log(JSON.stringify({ alive: true, count: faults.unhandledRejectionCount() })), 200);
    `;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(0);
    const logged = run.stderr
      .trim()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            level: number;
            service: string;
            msg: string;
            unhandledRejections: number;
            err: { message: string };
          },
      );
    expect(logged).toEqual([
      expect.objectContaining({
        level: 50,
        service: 'demo',
        msg: 'unhandled rejection',
        unhandledRejections: 1,
        err: expect.objectContaining({ message: 'first' }),
      }),
      expect.objectContaining({ unhandledRejections: 2, err: expect.objectContaining({ message: 'second' }) }),
    ]);
    expect(JSON.parse(run.stdout)).toEqual({ alive: true, count: 2 });
  });
});
