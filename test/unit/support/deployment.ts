/**
 * Shared by the deployment-file tests (docker-compose.yml, k8s/): the apps and their config
 * schemas, and helpers that narrow parsed YAML (`unknown`) with the path in the error.
 */
import { BaseConfig } from '@cp/config';
import { AuditConfig } from '../../../apps/audit/src/config';
import { ContactsConfig } from '../../../apps/contacts/src/config';
import { FilesConfig } from '../../../apps/files/src/config';
import { GatewayConfig } from '../../../apps/gateway/src/config';
import { InvitesConfig } from '../../../apps/invites/src/config';
import { NotificationsConfig } from '../../../apps/notifications/src/config';

export type AppConfigClass = new () => BaseConfig;
export const APPS: Record<string, AppConfigClass> = {
  gateway: GatewayConfig,
  contacts: ContactsConfig,
  invites: InvitesConfig,
  notifications: NotificationsConfig,
  files: FilesConfig,
  audit: AuditConfig,
};
export const APP_NAMES = Object.keys(APPS);
export const BACKEND_APPS = APP_NAMES.filter((app) => app !== 'gateway');
/** Direct service-to-service calls besides the gateway's: callee → callers. */
export const SERVICE_CALLERS: Record<string, readonly string[]> = { contacts: ['files'], invites: ['contacts'] };

/** The gateway finds each backend app through <APP>_URL. */
export const urlVariableOf = (app: string) => `${app.toUpperCase()}_URL`;
export const defaultPortOf = (app: string) => new APPS[app]().PORT;

export type YamlMap = Record<string, unknown>;

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asMap(value: unknown, what: string): YamlMap {
  if (!isMap(value)) throw new Error(`${what} should be a mapping`);
  return value;
}

export function asList(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${what} should be a list`);
  return value;
}

/** The value at a path of keys, or undefined when any step is missing. */
export function at(value: unknown, ...keys: string[]): unknown {
  return keys.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), value);
}

/** A version tag, not a floating one: three numeric parts such as 8.0.17, v1.27.11 or a date. */
const EXACT_TAG = /\d+[.-]\d+[.-]\d+/;

export function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0];
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return colon === -1 ? undefined : lastSegment.slice(colon + 1);
}

export function isPinned(image: string): boolean {
  const tag = imageTag(image);
  return tag !== undefined && tag !== 'latest' && EXACT_TAG.test(tag);
}
