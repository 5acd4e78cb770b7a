/**
 * k8s/ as a cluster would receive it: each overlay rendered with the pinned kustomize, every
 * object validated (strictly: an unknown field fails) against the Kubernetes JSON schemas that
 * kubernetes-validate ships, then the rendered objects checked for what the platform relies on.
 * Offline: scripts/k8s-tools.sh installs both tools into the cache (bootstrap.sh runs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { load, loadAll } from 'js-yaml';
import { loadConfig, requiredVariables } from '@cp/config';
import { deadLetterTopic, Topic } from '@cp/contracts';
import {
  APP_NAMES,
  APPS,
  asList,
  asMap,
  at,
  BACKEND_APPS,
  defaultPortOf,
  isMap,
  isPinned,
  SERVICE_CALLERS,
  urlVariableOf,
  YamlMap,
} from './support/deployment';

const ROOT = join(__dirname, '..', '..');
const K8S = join(ROOT, 'k8s');
const OVERLAYS = ['dev', 'production'] as const;
type Overlay = (typeof OVERLAYS)[number];

/**
 * The schema versions every object must satisfy: from 1.33 (the oldest minor these manifests
 * support) to 1.37 (the newest kubernetes-validate 1.37.0 ships).
 */
const KUBERNETES_VERSIONS = ['1.33.0', '1.37.0'];

/** The Secrets an operator creates (k8s/README.md, "Secrets"): name → keys. */
const SECRETS: Record<string, readonly string[]> = {
  'client-portal-internal': ['INTERNAL_API_TOKEN'],
  'client-portal-gateway': ['JWT_SECRET'],
  'client-portal-mongo': ['MONGO_URL'],
  'client-portal-invite-link': ['INVITE_LINK_KEY'],
  'client-portal-two-step': ['TWO_STEP_KEY'],
  'client-portal-smtp': ['SMTP_URL'],
  'client-portal-s3': ['S3_ACCESS_KEY', 'S3_SECRET_KEY'],
};
/** Values of the right shape for the secret variables, to run the config schemas (test only). */
const SAMPLE_SECRET_VALUES: Record<string, string> = {
  INTERNAL_API_TOKEN: 'sample-internal-token-0123456789',
  JWT_SECRET: 'sample-jwt-secret-0123456789-0123456789',
  MONGO_URL: 'mongodb://db-0:27017,db-1:27017,db-2:27017/?replicaSet=rs0',
  INVITE_LINK_KEY: Buffer.alloc(32, 7).toString('base64'),
  TWO_STEP_KEY: Buffer.alloc(32, 9).toString('base64'),
  SMTP_URL: 'smtp://user:password@smtp.example.com:587',
  S3_ACCESS_KEY: 'sample-access-key',
  S3_SECRET_KEY: 'sample-secret-key',
};

/**
 * RSS measured after /ready (k8s/measure-idle-rss.sh, the higher of two runs) plus the growth measured under load
 * (README, "What is measured"; contacts: four argon2id hashes of 19 MiB): the production memory
 * request must cover it, so the figures in overlays/production/apps/ cannot drift below them.
 */
const MEASURED_PEAK_MIB: Record<string, number> = {
  gateway: 141 + 36,
  contacts: 204 + 4 * 19,
  // Peaks in the fault run (bulks of 1,000 with their emails; test/faults/last-result.md), above idle.
  invites: 349,
  notifications: 240,
  files: 128 + 62,
  // Not measured yet: taken as the other event consumers' idle RSS (invites 187, notifications 199).
  audit: 199,
};

/** Apps whose replica count a HorizontalPodAutoscaler owns in production. */
const AUTOSCALED = ['gateway', 'notifications', 'files'];

/** Where the Ingress must send file bytes with no proxy cap and long timeouts. */
const UPLOAD_AND_DOWNLOAD_PATHS = ['/v1/clients/c-1/files', '/v1/portal/files', '/v1/files/f-1/download'];
const FIVE_GIB = 5 * 1024 ** 3;

// ---------------------------------------------------------------------------------------------
// Tools and rendering

function tool(name: 'KUSTOMIZE' | 'KUBERNETES_VALIDATE'): string {
  const lines = execFileSync('bash', [join(ROOT, 'scripts', 'k8s-tools.sh'), 'env'], { encoding: 'utf8' });
  const path = lines
    .split('\n')
    .find((line) => line.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  if (!path || !statSync(path, { throwIfNoEntry: false })?.isFile()) {
    throw new Error(`${name} is not installed: run \`bash scripts/k8s-tools.sh install\` (npm test does)`);
  }
  return path;
}

const kustomize = tool('KUSTOMIZE');
const kubernetesValidate = tool('KUBERNETES_VALIDATE');

function render(overlay: Overlay): string {
  return execFileSync(kustomize, ['build', join(K8S, 'overlays', overlay)], { encoding: 'utf8' });
}

const rendered: Record<Overlay, string> = { dev: render('dev'), production: render('production') };

function objectsOf(text: string): YamlMap[] {
  return loadAll(text).filter(isMap);
}

/** Runs kubernetes-validate (strict) on YAML text; its output, empty when everything passed. */
function validate(text: string, version: string): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'k8s-validate-'));
  try {
    const file = join(dir, 'objects.yaml');
    writeFileSync(file, text);
    const result = spawnSync(kubernetesValidate, ['--strict', '--quiet', '-k', version, file], { encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Queries over the rendered objects of one overlay

class Rendered {
  readonly objects: YamlMap[];

  constructor(text: string) {
    this.objects = objectsOf(text);
  }

  all(kind: string): YamlMap[] {
    return this.objects.filter((object) => object.kind === kind);
  }

  find(kind: string, name: string): YamlMap | undefined {
    return this.all(kind).find((object) => at(object, 'metadata', 'name') === name);
  }

  get(kind: string, name: string): YamlMap {
    const object = this.find(kind, name);
    if (!object) throw new Error(`no ${kind} named ${name}`);
    return object;
  }

  podSpec(app: string): YamlMap {
    return asMap(at(this.get('Deployment', app), 'spec', 'template', 'spec'), `${app} pod spec`);
  }

  podLabels(app: string): Record<string, string> {
    const labels = asMap(at(this.get('Deployment', app), 'spec', 'template', 'metadata', 'labels'), `${app} labels`);
    return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key, String(value)]));
  }

  /** The app's own container, named after it. */
  container(app: string): YamlMap {
    const containers = asList(this.podSpec(app).containers, `${app} containers`).map((c) => asMap(c, 'container'));
    const container = containers.find((c) => c.name === app);
    if (!container) throw new Error(`Deployment ${app} has no container named ${app}`);
    return container;
  }

  /** Every variable the container receives: ConfigMap keys through envFrom, then env entries. */
  environment(app: string): Map<string, { value?: string; secret?: { name: string; key: string } }> {
    const container = this.container(app);
    const variables = new Map<string, { value?: string; secret?: { name: string; key: string } }>();
    for (const source of asList(container.envFrom ?? [], `${app} envFrom`)) {
      const name = at(source, 'configMapRef', 'name');
      if (typeof name !== 'string') throw new Error(`${app}: envFrom may only name ConfigMaps (Secrets go by key)`);
      const data = asMap(at(this.get('ConfigMap', name), 'data') ?? {}, `${name} data`);
      for (const [key, value] of Object.entries(data)) variables.set(key, { value: String(value) });
    }
    for (const entry of asList(container.env ?? [], `${app} env`)) {
      const ref = at(entry, 'valueFrom', 'secretKeyRef');
      const value = at(entry, 'value');
      variables.set(
        String(at(entry, 'name')),
        ref === undefined
          ? { value: typeof value === 'string' ? value : undefined }
          : { secret: { name: String(at(ref, 'name')), key: String(at(ref, 'key')) } },
      );
    }
    return variables;
  }

  config(): YamlMap {
    const maps = this.all('ConfigMap').filter((m) =>
      String(at(m, 'metadata', 'name')).startsWith('client-portal-config'),
    );
    expect(maps).toHaveLength(1);
    return asMap(maps[0].data, 'client-portal-config data');
  }

  /** The ingress rules of every NetworkPolicy that applies to the app's pods. */
  ingressRulesFor(app: string): unknown[] {
    return this.all('NetworkPolicy')
      .filter((policy) => selects(at(policy, 'spec', 'podSelector'), this.podLabels(app)))
      .flatMap((policy) => asList(at(policy, 'spec', 'ingress') ?? [], 'ingress'));
  }

  /** Whether some NetworkPolicy lets pods of `from` open the app's port. */
  admits(app: string, from: string): boolean {
    return this.ingressRulesFor(app).some((rule) =>
      asList(at(rule, 'from') ?? [], 'from').some(
        (peer) =>
          Object.keys(asMap(peer, 'peer')).join() === 'podSelector' &&
          selects(at(peer, 'podSelector'), this.podLabels(from)),
      ),
    );
  }
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

/** "192Mi", "1Gi", "512M" → MiB. */
function mebibytes(quantity: unknown): number {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$/.exec(String(quantity));
  if (!match) throw new Error(`unreadable memory quantity ${String(quantity)}`);
  const factor: Record<string, number> = {
    Ki: 1 / 1024,
    Mi: 1,
    Gi: 1024,
    K: 1e3 / 2 ** 20,
    M: 1e6 / 2 ** 20,
    G: 1e9 / 2 ** 20,
  };
  return Number(match[1]) * (match[2] ? factor[match[2]] : 1 / 2 ** 20);
}

/** "250m", "1", "0.5" → millicores. */
function millicores(quantity: unknown): number {
  const text = String(quantity);
  return text.endsWith('m') ? Number(text.slice(0, -1)) : Number(text) * 1000;
}

const overlays: Record<Overlay, Rendered> = {
  dev: new Rendered(rendered.dev),
  production: new Rendered(rendered.production),
};

// ---------------------------------------------------------------------------------------------

describe('Kubernetes schema validation (kubernetes-validate, strict)', () => {
  it('rejects an object with an unknown field, so a typo cannot pass', () => {
    const typo = rendered.production.replace('maxSkew: 1', 'maxSkw: 1');
    expect(typo).not.toBe(rendered.production);
    expect(validate(typo, KUBERNETES_VERSIONS[0]).status).not.toBe(0);
  });

  describe.each(OVERLAYS)('overlay %s', (overlay) => {
    it.each(KUBERNETES_VERSIONS)('is valid against the Kubernetes %s schemas, every object', (version) => {
      // --quiet prints only failures and warnings; an object without a schema is a warning.
      expect(validate(rendered[overlay], version)).toEqual({ status: 0, output: '' });
    });
  });
});

describe.each(OVERLAYS)('overlay %s', (overlay) => {
  const k8s = overlays[overlay];

  it('renders every app and only known kinds, in the client-portal namespace, and no Secret', () => {
    const kinds = new Set(k8s.objects.map((object) => String(object.kind)));
    expect(kinds.has('Secret')).toBe(false);
    const elsewhere = k8s.objects
      .filter((object) => object.kind !== 'Namespace' && at(object, 'metadata', 'namespace') !== 'client-portal')
      .map((object) => `${String(object.kind)}/${String(at(object, 'metadata', 'name'))}`);
    expect(elsewhere).toEqual([]);
    expect(at(k8s.get('Namespace', 'client-portal'), 'metadata', 'labels', 'pod-security.kubernetes.io/enforce')).toBe(
      'restricted',
    );
  });

  it.each(APP_NAMES)('has a Deployment and a Service for %s on the port it listens on', (app) => {
    const service = k8s.get('Service', app);
    expect(at(service, 'spec', 'selector')).toEqual({ 'app.kubernetes.io/name': app });
    expect(selects(at(k8s.get('Deployment', app), 'spec', 'selector'), k8s.podLabels(app))).toBe(true);
    expect(at(service, 'spec', 'ports')).toContainEqual({ name: 'http', port: defaultPortOf(app), targetPort: 'http' });
    expect(at(k8s.container(app), 'ports')).toContainEqual({ name: 'http', containerPort: defaultPortOf(app) });
  });

  it.each(APP_NAMES)('probes %s: startup and liveness on /health, readiness on /ready', (app) => {
    const container = k8s.container(app);
    expect(at(container, 'startupProbe', 'httpGet')).toEqual({ path: '/health', port: 'http' });
    expect(at(container, 'livenessProbe', 'httpGet')).toEqual({ path: '/health', port: 'http' });
    expect(at(container, 'readinessProbe', 'httpGet')).toEqual({ path: '/ready', port: 'http' });
  });

  it.each(APP_NAMES)('runs %s non-root, read-only, unprivileged, without capabilities', (app) => {
    const pod = k8s.podSpec(app);
    const container = k8s.container(app);
    expect(at(pod, 'securityContext', 'runAsNonRoot')).toBe(true);
    expect(Number(at(pod, 'securityContext', 'runAsUser'))).toBeGreaterThan(0);
    expect(at(pod, 'securityContext', 'seccompProfile', 'type')).toBe('RuntimeDefault');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(at(container, 'securityContext')).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(at(container, 'securityContext', 'capabilities', 'add')).toBeUndefined();
    // The read-only root leaves /tmp, a size-limited emptyDir, as the only writable path.
    expect(at(container, 'volumeMounts')).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    expect(at(pod, 'volumes')).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: expect.any(String) } }]);
  });

  it.each(APP_NAMES)('gives %s CPU and memory requests and limits (limit ≥ request)', (app) => {
    const resources = at(k8s.container(app), 'resources');
    for (const resource of ['cpu', 'memory']) {
      expect(at(resources, 'requests', resource)).toBeDefined();
      expect(at(resources, 'limits', resource)).toBeDefined();
    }
    expect(mebibytes(at(resources, 'limits', 'memory'))).toBeGreaterThanOrEqual(
      mebibytes(at(resources, 'requests', 'memory')),
    );
    expect(millicores(at(resources, 'limits', 'cpu'))).toBeGreaterThanOrEqual(
      millicores(at(resources, 'requests', 'cpu')),
    );
  });

  it.each(APP_NAMES)(
    'stops %s within terminationGracePeriodSeconds: its shutdown (delay included) ends first',
    (app) => {
      const environment = k8s.environment(app);
      const values = Object.fromEntries(
        [...environment].map(([name, source]) => [
          name,
          source.secret ? SAMPLE_SECRET_VALUES[source.secret.key] : source.value,
        ]),
      );
      const config = loadConfig(APPS[app], values);
      const periodMs = Number(k8s.podSpec(app).terminationGracePeriodSeconds ?? 30) * 1000;
      // The endpoints need a few seconds to drop the pod: it keeps serving, unready, meanwhile.
      expect(config.SHUTDOWN_DELAY_MS).toBeGreaterThanOrEqual(3000);
      expect(config.SHUTDOWN_DELAY_MS).toBeLessThan(config.SHUTDOWN_GRACE_MS);
      // Room for the process to exit before the kubelet's SIGKILL.
      expect(config.SHUTDOWN_GRACE_MS).toBeLessThanOrEqual(periodMs - 3000);
    },
  );

  it.each(APP_NAMES)('pulls %s from a registry by an exact tag', (app) => {
    const image = String(k8s.container(app).image);
    expect(image).toMatch(new RegExp(`^[a-z0-9.-]+\\.[a-z]+(:\\d+)?/.*${app}:`));
    expect(isPinned(image)).toBe(true);
  });

  it.each(APP_NAMES)('gives %s every variable its config schema requires, with values it accepts', (app) => {
    const environment = k8s.environment(app);
    expect(requiredVariables(APPS[app]).filter((variable) => !environment.has(variable))).toEqual([]);
    const values = Object.fromEntries(
      [...environment].map(([name, source]) => [
        name,
        source.secret ? SAMPLE_SECRET_VALUES[source.secret.key] : source.value,
      ]),
    );
    expect(() => loadConfig(APPS[app], values)).not.toThrow();
  });

  it.each(APP_NAMES)('takes the secrets of %s by key from the documented Secrets, and only those', (app) => {
    for (const [name, source] of k8s.environment(app)) {
      if (!source.secret) continue;
      expect(SECRETS[source.secret.name]).toContain(source.secret.key);
      expect(source.secret.key).toBe(name);
    }
  });

  it('gives JWT_SECRET to the gateway only, and the S3 keys to files only', () => {
    expect(APP_NAMES.filter((app) => k8s.environment(app).has('JWT_SECRET'))).toEqual(['gateway']);
    expect(APP_NAMES.filter((app) => k8s.environment(app).has('S3_SECRET_KEY'))).toEqual(['files']);
  });

  it('keeps credentials out of the ConfigMap', () => {
    const secretVariables = Object.values(SECRETS).flat();
    expect(Object.keys(k8s.config()).filter((key) => secretVariables.includes(key))).toEqual([]);
    expect(Object.values(k8s.config()).filter((value) => /:\/\/[^/\s]*:[^/\s]*@/.test(String(value)))).toEqual([]);
  });

  it.each(BACKEND_APPS)('points the gateway at the %s Service on its port', (app) => {
    const url = new URL(String(k8s.environment('gateway').get(urlVariableOf(app))?.value));
    expect(url.hostname).toBe(app);
    expect(Number(url.port)).toBe(defaultPortOf(app));
  });

  it('lets Kafka topics be created by the apps only in dev', () => {
    expect(k8s.config().KAFKA_CREATE_TOPICS).toBe(overlay === 'dev' ? 'true' : 'false');
  });

  describe('NetworkPolicies', () => {
    it('deny all ingress in the namespace unless a policy opens it', () => {
      const denyAll = k8s
        .all('NetworkPolicy')
        .filter(
          (p) =>
            isMap(at(p, 'spec', 'podSelector')) &&
            Object.keys(asMap(at(p, 'spec', 'podSelector'), 'podSelector')).length === 0,
        );
      expect(denyAll).toHaveLength(1);
      expect(at(denyAll[0], 'spec', 'policyTypes')).toEqual(['Ingress']);
      expect(at(denyAll[0], 'spec', 'ingress')).toBeUndefined();
    });

    it('admit the gateway from the Ingress controller pods only, on its port', () => {
      const rules = k8s.ingressRulesFor('gateway');
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(at(rule, 'ports')).toEqual([{ port: 'http' }]);
        // A rule without `from` admits every source.
        for (const peer of asList(at(rule, 'from'), 'gateway rule from')) {
          expect(Object.keys(asMap(peer, 'peer')).sort()).toEqual(['namespaceSelector', 'podSelector']);
          expect(at(peer, 'namespaceSelector', 'matchLabels', 'kubernetes.io/metadata.name')).toEqual(
            expect.any(String),
          );
          expect(at(peer, 'podSelector', 'matchLabels')).toBeDefined();
        }
      }
      expect(APP_NAMES.filter((other) => k8s.admits('gateway', other))).toEqual([]);
    });

    it.each(BACKEND_APPS)('admit %s from the gateway and its declared callers only', (app) => {
      const rules = k8s.ingressRulesFor(app);
      expect(rules.length).toBeGreaterThan(0);
      for (const rule of rules) {
        for (const peer of asList(at(rule, 'from'), `${app} rule from`)) {
          expect(Object.keys(asMap(peer, 'peer'))).toEqual(['podSelector']);
        }
      }
      const admitted = APP_NAMES.filter((other) => k8s.admits(app, other));
      expect(admitted.sort()).toEqual(['gateway', ...(SERVICE_CALLERS[app] ?? [])].sort());
    });
  });

  describe('Ingress', () => {
    const ingresses = k8s.all('Ingress');
    const paths = ingresses.flatMap((ingress) =>
      asList(at(ingress, 'spec', 'rules'), 'rules').flatMap((rule) =>
        asList(at(rule, 'http', 'paths'), 'paths').map((path) => ({
          ingress,
          host: String(at(rule, 'host')),
          path: asMap(path, 'path'),
        })),
      ),
    );

    it('sends every path to the gateway only, over TLS for each host', () => {
      expect(paths.length).toBeGreaterThan(0);
      for (const { ingress, host, path } of paths) {
        expect(at(path, 'backend', 'service')).toEqual({ name: 'gateway', port: { name: 'http' } });
        const tlsHosts = asList(at(ingress, 'spec', 'tls'), 'tls').flatMap((tls) => asList(at(tls, 'hosts'), 'hosts'));
        expect(tlsHosts).toContain(host);
      }
      expect(paths.map(({ path }) => String(path.path))).not.toContain('/');
    });

    it.each(['/metrics', '/health', '/ready'])('does not route %s (it stays inside the cluster)', (route) => {
      const routed = paths.filter(({ path }) =>
        path.pathType === 'Prefix'
          ? route.startsWith(String(path.path))
          : new RegExp(`^${String(path.path)}`, 'i').test(route),
      );
      expect(routed).toEqual([]);
    });

    it('serves PORTAL_URL, where invite links point, over HTTPS on an Ingress host', () => {
      const portal = new URL(String(k8s.config().PORTAL_URL));
      expect(portal.protocol).toBe('https:');
      const routed = paths.filter(
        ({ host, path }) =>
          host === portal.host && path.pathType === 'Prefix' && portal.pathname.startsWith(String(path.path)),
      );
      expect(routed).toHaveLength(1);
    });

    it.each(UPLOAD_AND_DOWNLOAD_PATHS)('streams %s without a proxy cap below 5 GiB and with long timeouts', (route) => {
      const matching = paths.filter(
        ({ path }) => path.pathType === 'ImplementationSpecific' && new RegExp(`^${String(path.path)}`).test(route),
      );
      expect(matching).toHaveLength(1);
      const annotations = asMap(at(matching[0].ingress, 'metadata', 'annotations'), 'annotations');
      const bodySize = String(annotations['nginx.ingress.kubernetes.io/proxy-body-size']);
      expect(
        bodySize === '0' ||
          mebibytes(bodySize.replace(/([kmg])$/i, (unit: string) => `${unit.toUpperCase()}i`)) * 2 ** 20 >= FIVE_GIB,
      ).toBe(true);
      expect(annotations['nginx.ingress.kubernetes.io/proxy-request-buffering']).toBe('off');
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(600);
      expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(600);
    });
  });
});

describe('overlay production', () => {
  const k8s = overlays.production;

  it.each(APP_NAMES)('runs at least two replicas of %s', (app) => {
    const replicas = at(k8s.get('Deployment', app), 'spec', 'replicas');
    const hpa = k8s.all('HorizontalPodAutoscaler').find((h) => at(h, 'spec', 'scaleTargetRef', 'name') === app);
    if (AUTOSCALED.includes(app)) {
      // The autoscaler owns the count: a replicas field would reset it on every apply.
      expect(replicas).toBeUndefined();
      expect(at(hpa, 'spec', 'scaleTargetRef')).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: app });
      expect(Number(at(hpa, 'spec', 'minReplicas'))).toBeGreaterThanOrEqual(2);
      expect(Number(at(hpa, 'spec', 'maxReplicas'))).toBeGreaterThan(Number(at(hpa, 'spec', 'minReplicas')));
    } else {
      expect(hpa).toBeUndefined();
      expect(Number(replicas)).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(APP_NAMES)('gives %s a PodDisruptionBudget that keeps all but one pod through a drain', (app) => {
    const budgets = k8s
      .all('PodDisruptionBudget')
      .filter((pdb) => selects(at(pdb, 'spec', 'selector'), k8s.podLabels(app)));
    expect(budgets).toHaveLength(1);
    expect(at(budgets[0], 'spec', 'maxUnavailable')).toBe(1);
  });

  it.each(APP_NAMES)('spreads %s across zones (required) and nodes (preferred)', (app) => {
    const constraints = asList(k8s.podSpec(app).topologySpreadConstraints, `${app} topologySpreadConstraints`);
    const byKey = (key: string) => constraints.find((c) => at(c, 'topologyKey') === key);
    const zone = byKey('topology.kubernetes.io/zone');
    expect(at(zone, 'whenUnsatisfiable')).toBe('DoNotSchedule');
    expect(at(zone, 'maxSkew')).toBe(1);
    expect(selects(at(zone, 'labelSelector'), k8s.podLabels(app))).toBe(true);
    expect(selects(at(byKey('kubernetes.io/hostname'), 'labelSelector'), k8s.podLabels(app))).toBe(true);
  });

  it.each(APP_NAMES)('requests for %s at least the memory measured for it', (app) => {
    const resources = at(k8s.container(app), 'resources');
    expect(mebibytes(at(resources, 'requests', 'memory'))).toBeGreaterThanOrEqual(MEASURED_PEAK_MIB[app]);
  });

  it.each(APP_NAMES)('pins the image of %s by digest as well as tag', (app) => {
    expect(String(k8s.container(app).image)).toMatch(/:[^/@]+@sha256:[0-9a-f]{64}$/);
  });
});

describe('overlay dev', () => {
  const k8s = overlays.dev;

  it.each(APP_NAMES)('runs one replica of %s with small requests', (app) => {
    expect(at(k8s.get('Deployment', app), 'spec', 'replicas')).toBe(1);
    const requests = at(k8s.container(app), 'resources', 'requests');
    expect(millicores(at(requests, 'cpu'))).toBeLessThanOrEqual(50);
    expect(mebibytes(at(requests, 'memory'))).toBeLessThanOrEqual(256);
  });

  it('has no autoscaler and no disruption budget', () => {
    expect(k8s.all('HorizontalPodAutoscaler')).toEqual([]);
    expect(k8s.all('PodDisruptionBudget')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('k8s/ sources', () => {
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
    );
  const yamlFiles = files(K8S).filter((file) => /\.ya?ml$/.test(file));

  it('commit no Secret and generate none', () => {
    for (const file of yamlFiles) {
      const docs = loadAll(readFileSync(file, 'utf8')).filter(isMap);
      expect({ file: relative(ROOT, file), secrets: docs.filter((doc) => doc.kind === 'Secret').length }).toEqual({
        file: relative(ROOT, file),
        secrets: 0,
      });
      expect({ file: relative(ROOT, file), secretGenerator: docs.some((doc) => 'secretGenerator' in doc) }).toEqual({
        file: relative(ROOT, file),
        secretGenerator: false,
      });
    }
  });

  it('document how to create every Secret the manifests reference', () => {
    const readme = readFileSync(join(K8S, 'README.md'), 'utf8');
    for (const [name, keys] of Object.entries(SECRETS)) {
      expect(readme).toContain(name);
      for (const key of keys) expect(readme).toContain(key);
    }
  });

  it('set the registry and tag of every image in one images: list per overlay', () => {
    for (const overlay of OVERLAYS) {
      const kustomization = asMap(
        load(readFileSync(join(K8S, 'overlays', overlay, 'kustomization.yaml'), 'utf8')),
        overlay,
      );
      const names = asList(kustomization.images, `${overlay} images`).map((image) => at(image, 'name'));
      expect(names.sort()).toEqual(APP_NAMES.map((app) => `client-portal-${app}`).sort());
    }
  });
});

describe('k8s/examples (Strimzi CRs are checked here; no installed package ships their CRD schemas)', () => {
  const examples = join(K8S, 'examples');
  const topics = objectsOf(readFileSync(join(examples, 'kafka-topics.yaml'), 'utf8'));
  const kafkaObjects = objectsOf(readFileSync(join(examples, 'strimzi-kafka.yaml'), 'utf8'));
  const kafka = kafkaObjects.find((object) => object.kind === 'Kafka');
  const catalogue = Object.values(Topic).flatMap((topic) => [topic, deadLetterTopic(topic)]);

  it('declares a KafkaTopic for every topic of the catalogue and its dead-letter twin, and no other', () => {
    expect(topics.every((topic) => topic.kind === 'KafkaTopic' && topic.apiVersion === 'kafka.strimzi.io/v1')).toBe(
      true,
    );
    expect(topics.map((topic) => at(topic, 'spec', 'topicName')).sort()).toEqual([...catalogue].sort());
  });

  it.each(catalogue)('gives %s 3 replicas, min.insync.replicas 2, a retention and partitions', (name) => {
    const topic = topics.find((t) => at(t, 'spec', 'topicName') === name);
    expect(at(topic, 'spec', 'replicas')).toBe(3);
    expect(at(topic, 'spec', 'config', 'min.insync.replicas')).toBe(2);
    expect(Number(at(topic, 'spec', 'config', 'retention.ms'))).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(Number(at(topic, 'spec', 'partitions'))).toBeGreaterThanOrEqual(1);
    expect(at(topic, 'metadata', 'labels', 'strimzi.io/cluster')).toBe(at(kafka, 'metadata', 'name'));
  });

  it('gives the notifications autoscaler no more replicas than an event topic has partitions', () => {
    const hpa = overlays.production.get('HorizontalPodAutoscaler', 'notifications');
    const partitions = topics
      .filter((t) => !String(at(t, 'spec', 'topicName')).endsWith('.dead-letter'))
      .map((t) => Number(at(t, 'spec', 'partitions')));
    expect(Number(at(hpa, 'spec', 'maxReplicas'))).toBeLessThanOrEqual(Math.min(...partitions));
  });

  it('runs a Kafka that the base configuration points at, with safe defaults', () => {
    const name = String(at(kafka, 'metadata', 'name'));
    const namespace = String(at(kafka, 'metadata', 'namespace'));
    const listener = asList(at(kafka, 'spec', 'kafka', 'listeners'), 'listeners').find((l) => at(l, 'tls') === false);
    expect(overlays.production.config().KAFKA_BROKERS).toBe(
      `${name}-kafka-bootstrap.${namespace}.svc:${String(at(listener, 'port'))}`,
    );
    expect(at(kafka, 'spec', 'kafka', 'config')).toMatchObject({
      'auto.create.topics.enable': false,
      'min.insync.replicas': 2,
      'default.replication.factor': 3,
      'unclean.leader.election.enable': false,
    });
    expect(at(kafka, 'spec', 'entityOperator', 'topicOperator')).toBeDefined();
    const pool = kafkaObjects.find((object) => object.kind === 'KafkaNodePool');
    expect(Number(at(pool, 'spec', 'replicas'))).toBeGreaterThanOrEqual(3);
  });

  it('aborts incomplete multipart uploads in the S3 lifecycle rule and allows only TLS in the bucket policy', () => {
    const lifecycle = asMap(JSON.parse(readFileSync(join(examples, 's3-lifecycle.json'), 'utf8')), 'lifecycle');
    const rules = asList(lifecycle.Rules, 'Rules');
    expect(
      rules.some(
        (rule) =>
          at(rule, 'Status') === 'Enabled' &&
          Number(at(rule, 'AbortIncompleteMultipartUpload', 'DaysAfterInitiation')) >= 1,
      ),
    ).toBe(true);
    const policy = asMap(JSON.parse(readFileSync(join(examples, 's3-bucket-policy.json'), 'utf8')), 'policy');
    const statements = asList(policy.Statement, 'Statement');
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const allowed = statements
      .filter((s) => at(s, 'Effect') === 'Allow')
      .flatMap((s) => asList(at(s, 'Action'), 'Action'));
    for (const action of [
      's3:PutObject',
      's3:GetObject',
      's3:DeleteObject',
      's3:AbortMultipartUpload',
      's3:ListBucketMultipartUploads',
    ]) {
      expect(allowed).toContain(action);
    }
  });
});

describe('k8s/observability (ServiceMonitor and PrometheusRule are checked here: no installed package ships their CRD schemas)', () => {
  const text = execFileSync(kustomize, ['build', join(K8S, 'observability')], { encoding: 'utf8' });
  const objects = objectsOf(text);
  const base = overlays.production;
  const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
  const coreObjects = objects.filter((object) => !String(object.apiVersion).startsWith('monitoring.coreos.com/'));

  it.each(KUBERNETES_VERSIONS)('renders, its Kubernetes objects valid against the %s schemas', (version) => {
    expect(coreObjects.map((object) => object.kind).sort()).toEqual(['ConfigMap', 'NetworkPolicy']);
    const coreText = coreObjects.map((object) => JSON.stringify(object)).join('\n---\n');
    expect(validate(coreText, version)).toEqual({ status: 0, output: '' });
    for (const object of objects) expect(at(object, 'metadata', 'namespace')).toBe('client-portal');
  });

  it.each(APP_NAMES)('scrapes %s: the ServiceMonitor selects its Service, port http, path /metrics', (app) => {
    const [monitor] = ofKind('ServiceMonitor');
    const service = base.get('Service', app);
    const labels = asMap(at(service, 'metadata', 'labels'), `${app} Service labels`) as Record<string, string>;
    expect(selects(at(monitor, 'spec', 'selector'), labels)).toBe(true);
    expect(at(monitor, 'spec', 'namespaceSelector', 'matchNames')).toEqual(['client-portal']);
    const endpoints = asList(at(monitor, 'spec', 'endpoints'), 'endpoints');
    expect(endpoints).toEqual([expect.objectContaining({ port: 'http', path: '/metrics' })]);
    expect(asList(at(service, 'spec', 'ports'), 'ports')).toContainEqual(expect.objectContaining({ name: 'http' }));
  });

  it.each(APP_NAMES)('lets Prometheus, and no app, reach the http port of %s', (app) => {
    const [policy] = ofKind('NetworkPolicy');
    expect(selects(at(policy, 'spec', 'podSelector'), base.podLabels(app))).toBe(true);
    for (const rule of asList(at(policy, 'spec', 'ingress'), 'ingress')) {
      expect(at(rule, 'ports')).toEqual([{ port: 'http' }]);
      for (const peer of asList(at(rule, 'from'), 'from')) {
        expect(Object.keys(asMap(peer, 'peer')).sort()).toEqual(['namespaceSelector', 'podSelector']);
        expect(at(peer, 'podSelector', 'matchLabels', 'app.kubernetes.io/name')).toBe('prometheus');
        for (const other of APP_NAMES) expect(selects(at(peer, 'podSelector'), base.podLabels(other))).toBe(false);
      }
    }
  });

  it('ships the dashboard for the Grafana sidecar and rules for the operator', () => {
    const [dashboard] = ofKind('ConfigMap');
    expect(at(dashboard, 'metadata', 'labels', 'grafana_dashboard')).toBe('1');
    const json = JSON.parse(String(at(dashboard, 'data', 'client-portal.json'))) as { uid: string; panels: unknown[] };
    expect(json.uid).toBe('client-portal');
    expect(json.panels.length).toBeGreaterThan(10);
    const [rules] = ofKind('PrometheusRule');
    const alerts = asList(at(rules, 'spec', 'groups'), 'groups').flatMap((group) =>
      asList(at(group, 'rules'), 'rules').map((rule) => String(at(rule, 'alert'))),
    );
    expect(alerts.length).toBeGreaterThanOrEqual(5);
  });
});
