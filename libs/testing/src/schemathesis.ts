import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LOG_DIR, ROOT } from './service-process';

/** Where scripts/bootstrap.sh installed the pinned Schemathesis (test/fuzz/requirements.txt). */
export function schemathesisBin(): string {
  const pinned = /^schemathesis==(.+)$/m.exec(readFileSync(join(ROOT, 'test', 'fuzz', 'requirements.txt'), 'utf8'));
  if (!pinned) throw new Error('test/fuzz/requirements.txt pins no schemathesis version');
  const cache =
    process.env.CLIENT_PORTAL_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'client-portal');
  const bin = join(cache, `venv-schemathesis-${pinned[1]}`, 'bin', 'st');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run bootstrap\` (npm test does) to install it`);
  return bin;
}

export interface FuzzRun {
  /** A name for the log file and the messages: "staff", "contact". */
  label: string;
  schemaUrl: string;
  baseUrl: string;
  token: string;
  seed: number;
  checks: string[];
  maxExamples: number;
  maxTimeSeconds: number;
  phases?: string[];
}

export interface FuzzResult {
  exitCode: number;
  output: string;
  command: string;
  logFile: string;
}

/** Runs `st run` against the API with the given bearer token; its output goes to a log file too. */
export async function runSchemathesis(run: FuzzRun): Promise<FuzzResult> {
  const args = [
    '--no-color',
    'run',
    run.schemaUrl,
    '--url',
    run.baseUrl,
    '--header',
    `Authorization: Bearer ${run.token}`,
    '--checks',
    run.checks.join(','),
    '--seed',
    String(run.seed),
    '--max-examples',
    String(run.maxExamples),
    '--max-time',
    String(run.maxTimeSeconds),
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--suppress-health-check',
    'all',
    ...(run.phases ? ['--phases', run.phases.join(',')] : []),
  ];
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `schemathesis-${run.label}.log`);
  const log = createWriteStream(logFile);
  const command = `${schemathesisBin()} ${args.map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;
  log.write(`$ ${command.replace(run.token, '<token>')}\n`);
  return new Promise((resolve, reject) => {
    // Its cache (the failures it found, tried first next time) stays out of the source tree.
    const workDir = join(ROOT, '.infra', 'fuzz');
    mkdirSync(workDir, { recursive: true });
    const child = spawn(schemathesisBin(), args, {
      cwd: workDir,
      env: { ...process.env, PYTHONUNBUFFERED: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      log.write(chunk);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', reject);
    child.on('close', (code) => {
      log.end();
      resolve({ exitCode: code ?? 1, output, command: command.replace(run.token, '<token>'), logFile });
    });
  });
}
