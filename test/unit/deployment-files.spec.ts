/**
 * Keeps docker-compose.yml in step with the apps: a new required variable, a moved port, an
 * unpinned image, a missing health check or dependency fails here rather than at `docker compose up`.
 * The Kubernetes manifests have their own test: k8s-manifests.spec.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { loadConfig, requiredVariables } from '@cp/config';
import {
  APP_NAMES,
  APPS,
  asMap,
  at,
  BACKEND_APPS,
  defaultPortOf,
  isPinned,
  urlVariableOf,
  YamlMap,
} from './support/deployment';

const ROOT = join(__dirname, '..', '..');
const INFRA_SERVICES = ['kafka', 'mongo', 'minio', 'mailpit'];

function readText(...path: string[]): string {
  return readFileSync(join(ROOT, ...path), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Images

describe('image pinning rule', () => {
  it.each([
    'apache/kafka:3.9.1',
    'mongo:8.0.17',
    'minio/minio:RELEASE.2025-04-22T22-12-26Z',
    'axllent/mailpit:v1.27.11',
  ])('accepts %s', (image) => expect(isPinned(image)).toBe(true));

  it.each(['mongo', 'mongo:latest', 'mongo:8', 'mongo:8.0', 'localhost:5000/mongo', 'mongo@sha256:abc'])(
    'rejects %s',
    (image) => expect(isPinned(image)).toBe(false),
  );
});

// ---------------------------------------------------------------------------------------------
// docker-compose.yml

const compose = asMap(load(readText('docker-compose.yml')), 'docker-compose.yml');
const composeServices = asMap(compose.services, 'services');

function composeService(name: string): YamlMap {
  return asMap(composeServices[name], `services.${name}`);
}

/** A service's environment as a map, whether written as a mapping or as KEY=value lines. */
function composeEnvironment(name: string): Record<string, string> {
  const environment = composeService(name).environment;
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((line) => {
        const [key, ...value] = String(line).split('=');
        return [key, value.join('=')];
      }),
    );
  }
  const entries = Object.entries(asMap(environment, `services.${name}.environment`));
  return Object.fromEntries(entries.map(([key, value]) => [key, String(value)]));
}

/** What the app sees when the user sets nothing: `${VAR:-default}` becomes `default`. */
function withComposeDefaults(environment: Record<string, string>): Record<string, string> {
  const resolve = (value: string) => value.replace(/\$\{\w+:?-([^}]*)\}/g, (_match, fallback: string) => fallback);
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, resolve(value)]));
}

describe('docker-compose.yml', () => {
  it('defines every app and every infrastructure service', () => {
    expect(Object.keys(composeServices).sort()).toEqual([...APP_NAMES, ...INFRA_SERVICES].sort());
  });

  it('pins every image to an exact version', () => {
    const images = Object.keys(composeServices)
      .map((name) => composeService(name).image)
      .filter((image): image is string => typeof image === 'string');
    expect(images).toHaveLength(INFRA_SERVICES.length);
    expect(images.filter((image) => !isPinned(image))).toEqual([]);
  });

  it.each(INFRA_SERVICES)('gives %s an image and a healthcheck', (name) => {
    expect(composeService(name).image).toEqual(expect.any(String));
    expect(at(composeService(name), 'healthcheck', 'test')).toBeDefined();
  });

  it.each(APP_NAMES)('builds %s from the Dockerfile with its APP argument', (app) => {
    expect(at(composeService(app), 'build', 'context')).toBe('.');
    expect(at(composeService(app), 'build', 'args', 'APP')).toBe(app);
  });

  it.each(APP_NAMES)('sets every variable %s requires', (app) => {
    const environment = composeEnvironment(app);
    const missing = requiredVariables(APPS[app]).filter((variable) => !environment[variable]);
    expect(missing).toEqual([]);
  });

  it.each(APP_NAMES)('gives %s a configuration its schema accepts, with the defaults', (app) => {
    expect(() => loadConfig(APPS[app], withComposeDefaults(composeEnvironment(app)))).not.toThrow();
  });

  it.each(BACKEND_APPS)('points the gateway at %s on the port it listens on', (app) => {
    const url = new URL(composeEnvironment('gateway')[urlVariableOf(app)]);
    expect(url.hostname).toBe(app);
    expect(Number(url.port)).toBe(defaultPortOf(app));
  });

  it('publishes ports only for the gateway and mailpit', () => {
    const publishing = Object.keys(composeServices).filter((name) => composeService(name).ports !== undefined);
    expect(publishing.sort()).toEqual(['gateway', 'mailpit']);
  });

  it.each(APP_NAMES)('checks that %s is ready (GET /ready on its port) before dependents start', (app) => {
    const test = at(composeService(app), 'healthcheck', 'test');
    expect(Array.isArray(test) ? test.join(' ') : test).toContain(`http://127.0.0.1:${defaultPortOf(app)}/ready`);
  });

  it('starts the gateway, which serves the web app, after every service it calls is healthy', () => {
    expect(Object.keys(asMap(composeService('gateway').depends_on, 'gateway.depends_on')).sort()).toEqual(
      [...BACKEND_APPS].sort(),
    );
  });

  it.each(APP_NAMES)('starts %s only after its dependencies are healthy', (app) => {
    const dependsOn = asMap(composeService(app).depends_on, `services.${app}.depends_on`);
    expect(Object.keys(dependsOn).length).toBeGreaterThan(0);
    for (const [dependency, condition] of Object.entries(dependsOn)) {
      expect({ dependency, condition: at(condition, 'condition') }).toEqual({
        dependency,
        condition: 'service_healthy',
      });
    }
  });
});
