/**
 * Keeps docker-compose.yml and k8s/ in step with the apps: a new required variable, a moved port,
 * an unpinned image or a missing probe fails here rather than at deploy time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { BaseConfig, loadConfig, requiredVariables } from '@cp/config';
import { ContactsConfig } from '../../apps/contacts/src/config';
import { FilesConfig } from '../../apps/files/src/config';
import { GatewayConfig } from '../../apps/gateway/src/config';
import { InvitesConfig } from '../../apps/invites/src/config';
import { NotificationsConfig } from '../../apps/notifications/src/config';

const ROOT = join(__dirname, '..', '..');
const K8S_DIR = join(ROOT, 'k8s');

type AppConfigClass = new () => BaseConfig;
const APPS: Record<string, AppConfigClass> = {
  gateway: GatewayConfig,
  contacts: ContactsConfig,
  invites: InvitesConfig,
  notifications: NotificationsConfig,
  files: FilesConfig,
};
const APP_NAMES = Object.keys(APPS);
/** Direct service-to-service calls besides the gateway's: callee → callers (see network-policy.yaml). */
const SERVICE_CALLERS: Record<string, readonly string[]> = { contacts: ['files'] };
const BACKEND_APPS = APP_NAMES.filter((app) => app !== 'gateway');
const INFRA_SERVICES = ['kafka', 'mongo', 'minio', 'mailpit'];

/** The gateway finds each backend app through <APP>_URL. */
const urlVariableOf = (app: string) => `${app.toUpperCase()}_URL`;
const defaultPortOf = (app: string) => new APPS[app]().PORT;

// ---------------------------------------------------------------------------------------------
// YAML helpers: parsed YAML is `unknown`; these narrow it and fail with the path when it is not
// the shape a deployment file must have.

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asMap(value: unknown, what: string): YamlMap {
  if (!isMap(value)) throw new Error(`${what} should be a mapping`);
  return value;
}

function asList(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} should be a list`);
  return value;
}

/** The value at a path of keys, or undefined when any step is missing. */
function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), value);
}

function readText(...path: string[]): string {
  return readFileSync(join(ROOT, ...path), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Images

/** A version tag, not a floating one: three numeric parts such as 8.0.17, v1.27.11 or a date. */
const EXACT_TAG = /\d+[.-]\d+[.-]\d+/;

function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

function isPinned(image: string): boolean {
  const tag = imageTag(image);
  return tag !== undefined && tag !== 'latest' && EXACT_TAG.test(tag);
}

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

// ---------------------------------------------------------------------------------------------
// k8s/

const k8sFiles = readdirSync(K8S_DIR).filter((file) => file.endsWith('.yaml'));
const k8sObjects = k8sFiles.flatMap((file) =>
  loadAll(readText('k8s', file))
    .filter(isMap)
    .filter((doc) => typeof doc.kind === 'string'),
);

function k8sObjectsOf(kind: string): YamlMap[] {
  return k8sObjects.filter((object) => object.kind === kind);
}

function k8sObject(kind: string, name: string): YamlMap {
  const found = k8sObjectsOf(kind).find((object) => at(object, 'metadata', 'name') === name);
  if (!found) throw new Error(`no ${kind} named ${name} in k8s/`);
  return found;
}

function podSpecOf(app: string): YamlMap {
  return asMap(at(k8sObject('Deployment', app), 'spec', 'template', 'spec'), `Deployment ${app} pod spec`);
}

function podLabelsOf(app: string): Record<string, string> {
  const labels = asMap(at(k8sObject('Deployment', app), 'spec', 'template', 'metadata', 'labels'), `${app} labels`);
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, String(value)]));
}

/** The app's own container, named after it. */
function containerOf(app: string): YamlMap {
  const containers = asList(podSpecOf(app).containers, `${app} containers`).map((c) => asMap(c, `${app} container`));
  const container = containers.find((c) => c.name === app);
  if (!container) throw new Error(`Deployment ${app} has no container named ${app}`);
  return container;
}

/** Keys of a ConfigMap's data or a Secret's data and stringData. */
function keysOf(kind: 'ConfigMap' | 'Secret', name: string): string[] {
  const object = k8sObject(kind, name);
  return [
    ...Object.keys(asMap(object.data ?? {}, 'data')),
    ...Object.keys(asMap(object.stringData ?? {}, 'stringData')),
  ];
}

/** Every variable the container receives: env entries plus all keys of its envFrom sources. */
function variablesOf(app: string): Set<string> {
  const container = containerOf(app);
  const direct = asList(container.env ?? [], `${app} env`).map((entry) => String(at(entry, 'name')));
  const fromSources = asList(container.envFrom ?? [], `${app} envFrom`).flatMap((source) => {
    const configMap = at(source, 'configMapRef', 'name');
    const secret = at(source, 'secretRef', 'name');
    if (typeof configMap === 'string') return keysOf('ConfigMap', configMap);
    if (typeof secret === 'string') return keysOf('Secret', secret);
    throw new Error(`${app} has an envFrom entry without a configMapRef or secretRef name`);
  });
  return new Set([...direct, ...fromSources]);
}

/** Whether a Kubernetes label selector (matchLabels and matchExpressions) selects these labels. */
function selects(selector: unknown, labels: Record<string, string>): boolean {
  const matchLabels = asMap(at(selector, 'matchLabels') ?? {}, 'matchLabels');
  const expressions = asList(at(selector, 'matchExpressions') ?? [], 'matchExpressions');
  const labelsMatch = Object.entries(matchLabels).every(([key, value]) => labels[key] === String(value));
  const expressionsMatch = expressions.every((expression) => {
    const value = labels[String(at(expression, 'key'))];
    const values = asList(at(expression, 'values') ?? [], 'values').map(String);
    switch (at(expression, 'operator')) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        throw new Error(`unknown selector operator ${String(at(expression, 'operator'))}`);
    }
  });
  return labelsMatch && expressionsMatch;
}

/** The ingress rules of every NetworkPolicy that applies to the app's pods. */
function ingressRulesFor(app: string): unknown[] {
  return k8sObjectsOf('NetworkPolicy')
    .filter((policy) => selects(at(policy, 'spec', 'podSelector'), podLabelsOf(app)))
    .flatMap((policy) => asList(at(policy, 'spec', 'ingress') ?? [], 'ingress'));
}

describe('k8s/', () => {
  it('lists every manifest in kustomization.yaml except the Secret template', () => {
    const kustomization = asMap(load(readText('k8s', 'kustomization.yaml')), 'kustomization.yaml');
    const expected = k8sFiles.filter((file) => !['kustomization.yaml', 'secret.yaml'].includes(file));
    expect(asList(kustomization.resources, 'resources').map(String).sort()).toEqual(expected.sort());
  });

  it.each(APP_NAMES)('has a Deployment and a Service for %s', (app) => {
    expect(() => k8sObject('Deployment', app)).not.toThrow();
    expect(at(k8sObject('Service', app), 'spec', 'selector')).toEqual({ 'app.kubernetes.io/name': app });
  });

  it('runs two gateway replicas', () => {
    expect(at(k8sObject('Deployment', 'gateway'), 'spec', 'replicas')).toBe(2);
  });

  it.each(APP_NAMES)('probes %s on /ready and /health at the port it listens on', (app) => {
    const container = containerOf(app);
    expect(at(container, 'readinessProbe', 'httpGet', 'path')).toBe('/ready');
    expect(at(container, 'livenessProbe', 'httpGet', 'path')).toBe('/health');
    expect(at(container, 'readinessProbe', 'httpGet', 'port')).toBe('http');
    expect(at(container, 'livenessProbe', 'httpGet', 'port')).toBe('http');
    expect(at(container, 'ports')).toContainEqual({ name: 'http', containerPort: defaultPortOf(app) });
  });

  it.each(APP_NAMES)('runs %s as non-root, read-only and without privilege escalation', (app) => {
    const container = containerOf(app);
    const runAsNonRoot =
      at(container, 'securityContext', 'runAsNonRoot') ?? at(podSpecOf(app), 'securityContext', 'runAsNonRoot');
    expect(runAsNonRoot).toBe(true);
    expect(at(container, 'securityContext', 'readOnlyRootFilesystem')).toBe(true);
    expect(at(container, 'securityContext', 'allowPrivilegeEscalation')).toBe(false);
  });

  it.each(APP_NAMES)('gives %s resource requests and limits and a pinned image', (app) => {
    const container = containerOf(app);
    for (const bound of ['requests', 'limits']) {
      expect(at(container, 'resources', bound, 'cpu')).toBeDefined();
      expect(at(container, 'resources', bound, 'memory')).toBeDefined();
    }
    expect(isPinned(String(container.image))).toBe(true);
  });

  it.each(APP_NAMES)('gives %s every variable it requires from the ConfigMap or its Secrets', (app) => {
    const available = variablesOf(app);
    expect(requiredVariables(APPS[app]).filter((variable) => !available.has(variable))).toEqual([]);
  });

  it('gives JWT_SECRET to the gateway only', () => {
    expect(APP_NAMES.filter((app) => variablesOf(app).has('JWT_SECRET'))).toEqual(['gateway']);
  });

  it.each(BACKEND_APPS)('points the gateway at the %s Service on its port', (app) => {
    const url = new URL(String(at(k8sObject('ConfigMap', 'client-portal-config'), 'data', urlVariableOf(app))));
    expect(url.hostname).toBe(app);
    expect(Number(url.port)).toBe(defaultPortOf(app));
    expect(at(k8sObject('Service', app), 'spec', 'ports')).toContainEqual(
      expect.objectContaining({ port: defaultPortOf(app) }),
    );
  });

  it.each(BACKEND_APPS)('lets only the gateway (and its declared callers) reach %s', (app) => {
    const rules = ingressRulesFor(app);
    expect(rules.length).toBeGreaterThan(0);
    const allowed = [...(SERVICE_CALLERS[app] ?? [])];
    for (const rule of rules) {
      // A rule without `from` admits every source.
      const peers = asList(at(rule, 'from'), `ingress rule of a policy selecting ${app}`);
      for (const peer of peers) {
        expect(Object.keys(asMap(peer, 'peer'))).toEqual(['podSelector']);
        const reached = APP_NAMES.filter((other) => selects(at(peer, 'podSelector'), podLabelsOf(other)));
        expect(reached.length).toBeGreaterThan(0);
        expect(reached.filter((other) => other !== 'gateway' && !allowed.includes(other))).toEqual([]);
      }
    }
  });
});
