/**
 * Keeps asyncapi.yaml in step with libs/contracts: every topic has a channel, and each message's
 * `data` schema names exactly the fields of the TypeScript payload, required unless optional there.
 * The samples below are typed with EventData<Topic.X>, so a field added to or removed from a
 * payload breaks the compilation of this file first, then this test until the document follows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { EVENT_TYPES, EventActor, EventData, EventEnvelope, FirmBranding, Topic } from '@cp/contracts';

const DOCUMENT = join(__dirname, '..', '..', 'asyncapi.yaml');
const ENVELOPE_FIELDS = ['id', 'type', 'version', 'occurredAt', 'firmId', 'correlationId', 'data'];
/** Envelope fields a message may leave out (EventEnvelope's optional ones). */
const OPTIONAL_ENVELOPE_FIELDS: (keyof EventEnvelope)[] = ['actor'];

// ---------------------------------------------------------------------------------------------
// The expected shapes, checked by the compiler against the contracts.

/** The keys of T that TypeScript lets you leave out. */
type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** Only a field whose value is a plain object (not a list, not a scalar) has properties of its own. */
type NestedShape<V> = V extends readonly unknown[] ? never : V extends object ? Shape<V> : never;

interface Shape<T> {
  /** Every field, optional ones included, so the sample names all of them. */
  sample: Required<T>;
  /** Exactly the optional fields: the compiler rejects a missing one, a required one or an unknown one. */
  optional: { [K in OptionalKeys<T>]: true } & { [K in Exclude<keyof T, OptionalKeys<T>>]?: never };
  /** Object-valued fields whose own properties are checked too. */
  nested?: { [K in keyof T]?: NestedShape<NonNullable<T[K]>> };
}

/** What the comparison needs of any Shape<T>. */
interface AnyShape {
  sample: object;
  optional: object;
  nested?: Partial<Record<string, AnyShape>>;
}

const none = {} as const;
const ID = '3f0c2a1e-8a7b-4c55-9a55-0d7f1f9b2c11';
const AT = '2026-01-02T03:04:05.000Z';

const contactChanges: Shape<EventData<Topic.ContactUpdated>['changed']> = {
  sample: { clientIds: [ID], firstName: 'Ada', lastName: 'Lovelace', email: null, phone: null },
  optional: { clientIds: true, firstName: true, lastName: true, email: true, phone: true },
};

const notificationResult: Shape<EventData<Topic.NotificationSent>> = {
  sample: { notificationId: ID, inviteId: ID, contactId: ID, to: 'ada@example.com', reason: '550 mailbox unavailable' },
  optional: { inviteId: true, contactId: true, reason: true },
};

const firmBranding: Shape<FirmBranding> = {
  sample: { logoUrl: 'https://babbage.example/logo.png', brandColor: '#1f4b99' },
  optional: none,
};

const inviteEnded: Shape<EventData<Topic.InviteRevoked>> = {
  sample: { inviteId: ID, contactId: ID },
  optional: none,
};

const actorShape: Shape<EventActor> = {
  sample: { id: null, kind: 'staff', ip: '203.0.113.7', userAgent: null },
  optional: none,
};

const SHAPES: { [T in Topic]: Shape<EventData<T>> } = {
  [Topic.ContactAdded]: {
    sample: { contactId: ID, clientIds: [ID], firstName: 'Ada', lastName: 'Lovelace', email: null },
    optional: none,
  },
  [Topic.ContactUpdated]: {
    sample: { contactId: ID, changed: contactChanges.sample },
    optional: none,
    nested: { changed: contactChanges },
  },
  [Topic.InviteSent]: {
    sample: {
      inviteId: ID,
      contactId: ID,
      clientId: ID,
      email: 'ada@example.com',
      expiresAt: AT,
      sentBy: ID,
      resend: false,
    },
    optional: none,
  },
  [Topic.InviteAccepted]: {
    sample: { inviteId: ID, contactId: ID, clientId: ID, acceptedAt: AT },
    optional: none,
  },
  [Topic.InviteRevoked]: inviteEnded,
  [Topic.InviteExpired]: inviteEnded,
  [Topic.PortalLogin]: { sample: { contactId: ID, at: AT }, optional: none },
  [Topic.FileShared]: {
    sample: { fileId: ID, clientId: ID, contactIds: [ID], name: 'w2.pdf', added: [ID], removed: [] },
    optional: { added: true, removed: true },
  },
  [Topic.FileUploaded]: {
    sample: {
      fileId: ID,
      clientId: ID,
      uploadedBy: ID,
      uploaderKind: 'contact',
      name: 'w2.pdf',
      size: 1024,
      requestId: null,
    },
    optional: none,
  },
  [Topic.NotificationSent]: notificationResult,
  [Topic.NotificationFailed]: notificationResult,
  [Topic.SignInSucceeded]: {
    sample: { accountId: ID, accountKind: 'staff', ip: '203.0.113.7', userAgent: 'Firefox', secondStep: 'totp' },
    optional: none,
  },
  [Topic.SignInFailed]: {
    sample: {
      accountId: null,
      accountKind: 'contact',
      ip: null,
      userAgent: null,
      stage: 'password',
      reason: 'bad-credentials',
    },
    optional: none,
  },
  [Topic.PasswordChanged]: {
    sample: { accountId: ID, accountKind: 'contact', ip: '203.0.113.7', userAgent: 'Safari', via: 'reset' },
    optional: none,
  },
  [Topic.TwoStepChanged]: {
    sample: { accountId: ID, accountKind: 'staff', ip: null, userAgent: null, change: 'enrolled', by: ID },
    optional: none,
  },
  [Topic.FileDownloaded]: { sample: { fileId: ID, clientId: ID, by: ID, byKind: 'contact' }, optional: none },
  [Topic.NewLinkRequested]: {
    sample: { inviteId: ID, contactId: ID, inviteState: 'expired', clientId: ID, invitedBy: ID },
    optional: { clientId: true, invitedBy: true },
  },
  [Topic.PasswordResetEmailRequested]: {
    sample: {
      resetId: ID,
      accountKind: 'staff',
      accountId: ID,
      to: 'ada@example.com',
      name: 'Ada Lovelace',
      firmName: 'Babbage & Co',
      firmBranding: firmBranding.sample,
      expiresAt: AT,
      sealedLink: 'v1.aXY.dGFn.Ym9keQ',
    },
    optional: { firmBranding: true },
    nested: { firmBranding },
  },
  [Topic.NewLinkEmailRequested]: {
    sample: {
      inviteId: ID,
      contactId: ID,
      clientId: ID,
      requestedAt: AT,
      inviteState: 'revoked',
      to: ['charles@babbage.example'],
      contactFirstName: 'Ada',
      contactLastName: 'Lovelace',
      contactEmail: null,
      firmName: 'Babbage & Co',
      contactUrl: 'https://portal.example.com/app/clients/c1',
    },
    optional: none,
  },
  [Topic.FileDeleted]: { sample: { fileId: ID, clientId: ID, name: 'w2.pdf' }, optional: none },
  [Topic.DocumentRequestCreated]: {
    sample: { requestId: ID, clientId: ID, title: '2025 W-2', contactIds: [ID] },
    optional: none,
  },
  [Topic.DocumentRequestFulfilled]: {
    sample: { requestId: ID, clientId: ID, fileId: ID, fulfilledBy: ID },
    optional: none,
  },
  [Topic.StaffAdded]: { sample: { userId: ID, name: 'Ada', email: 'ada@example.com', role: 'staff' }, optional: none },
  [Topic.StaffRemoved]: { sample: { userId: ID, email: 'ada@example.com' }, optional: none },
  [Topic.SettingsChanged]: { sample: { section: 'files', values: { maxUploadBytes: 1024 } }, optional: none },
  [Topic.EmailTemplateChanged]: {
    sample: { templateId: ID, name: 'Welcome', change: 'created' },
    optional: none,
  },
  [Topic.InviteEmailRequested]: {
    sample: {
      inviteId: ID,
      contactId: ID,
      sendNumber: 1,
      to: 'ada@example.com',
      contactFirstName: 'Ada',
      contactLastName: 'Lovelace',
      firmName: 'Babbage & Co',
      firmBranding: firmBranding.sample,
      inviterId: ID,
      inviterEmail: 'charles@babbage.example',
      inviterName: 'Charles Babbage',
      message: null,
      templateId: null,
      expiresAt: AT,
      sealedLink: 'v1.aXY.dGFn.Ym9keQ',
    },
    optional: { firmBranding: true, inviterId: true, inviterEmail: true },
    nested: { firmBranding },
  },
  [Topic.TwoStepCodeRequested]: {
    sample: {
      challengeId: ID,
      contactId: ID,
      to: 'ada@example.com',
      firmName: 'Babbage & Co',
      expiresAt: AT,
      sealedCode: 'v1.aXY.dGFn.Ym9keQ',
    },
    optional: none,
  },
};

// ---------------------------------------------------------------------------------------------
// Reading the document: parsed YAML is `unknown`, narrowed here; local $refs are followed.

type YamlMap = Record<string, unknown>;

function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function loadDocument(): YamlMap {
  const doc = load(readFileSync(DOCUMENT, 'utf8'));
  if (!isMap(doc)) throw new Error('asyncapi.yaml is not a mapping');
  return doc;
}

/** Follows `{ $ref: '#/a/b' }` (repeatedly) inside the document; anything else is returned as is. */
function deref(doc: YamlMap, value: unknown, seen: string[] = []): unknown {
  if (!isMap(value) || typeof value.$ref !== 'string') return value;
  const ref = value.$ref;
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  if (seen.includes(ref)) throw new Error(`circular $ref: ${[...seen, ref].join(' -> ')}`);
  let node: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isMap(node) || !(key in node)) throw new Error(`unresolved $ref: ${ref}`);
    node = node[key];
  }
  return deref(doc, node, [...seen, ref]);
}

function mapAt(doc: YamlMap, value: unknown, where: string): YamlMap {
  const resolved = deref(doc, value);
  if (!isMap(resolved)) throw new Error(`${where} is not a mapping`);
  return resolved;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** The channels of the document by their address (the Kafka topic). */
function channelsByAddress(doc: YamlMap): Map<string, YamlMap> {
  const channels = mapAt(doc, doc.channels, 'channels');
  const byAddress = new Map<string, YamlMap>();
  for (const [name, raw] of Object.entries(channels)) {
    const channel = mapAt(doc, raw, `channels.${name}`);
    if (typeof channel.address === 'string') byAddress.set(channel.address, channel);
  }
  return byAddress;
}

/** The one message of a topic's channel, with its payload (the envelope schema) resolved. */
function messageOf(doc: YamlMap, topic: Topic): { message: YamlMap; payload: YamlMap } {
  const channel = channelsByAddress(doc).get(topic);
  if (!channel) throw new Error(`no channel has address ${topic}`);
  const messages = Object.values(mapAt(doc, channel.messages, `${topic} messages`));
  if (messages.length !== 1) throw new Error(`${topic}: expected one message, found ${messages.length}`);
  const message = mapAt(doc, messages[0], `${topic} message`);
  return { message, payload: mapAt(doc, message.payload, `${topic} payload`) };
}

// ---------------------------------------------------------------------------------------------
// The comparison: a list of problems, empty when the schema matches the shape.

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether a JSON-schema `type` (one name or a list) accepts the sample's value. */
function typeAccepts(schemaType: unknown, value: unknown): boolean {
  const allowed = Array.isArray(schemaType) ? stringList(schemaType) : [schemaType];
  const actual = jsonTypeOf(value);
  return allowed.includes(actual) || (actual === 'integer' && allowed.includes('number'));
}

function schemaProblems(doc: YamlMap, rawSchema: unknown, shape: AnyShape, where: string): string[] {
  const schema = mapAt(doc, rawSchema, where);
  const properties = mapAt(doc, schema.properties ?? {}, `${where}.properties`);
  const required = stringList(schema.required);
  const sample = shape.sample as Record<string, unknown>;
  const optional = new Set(Object.keys(shape.optional));
  const nested = shape.nested ?? {};
  const problems: string[] = [];

  const expected = Object.keys(sample).sort();
  const documented = Object.keys(properties).sort();
  for (const field of expected.filter((f) => !documented.includes(f))) problems.push(`${where}: ${field} missing`);
  for (const field of documented.filter((f) => !expected.includes(f))) problems.push(`${where}: ${field} not in TS`);

  for (const field of expected) {
    if (optional.has(field) && required.includes(field)) problems.push(`${where}: ${field} is optional in TS`);
    if (!optional.has(field) && !required.includes(field)) problems.push(`${where}: ${field} is not required`);
    if (!documented.includes(field)) continue;
    const property = mapAt(doc, properties[field], `${where}.${field}`);
    if (!typeAccepts(property.type, sample[field])) {
      problems.push(
        `${where}: ${field} has type ${JSON.stringify(property.type)}, sample is ${jsonTypeOf(sample[field])}`,
      );
    }
    const inner = nested[field];
    if (inner) problems.push(...schemaProblems(doc, property, inner, `${where}.${field}`));
  }
  for (const field of required.filter((f) => !expected.includes(f))) {
    problems.push(`${where}: required ${field} is not a field`);
  }
  return problems;
}

function dataProblems(doc: YamlMap, topic: Topic): string[] {
  const { payload } = messageOf(doc, topic);
  const properties = mapAt(doc, payload.properties, `${topic} payload.properties`);
  return schemaProblems(doc, properties.data, SHAPES[topic], `${topic} data`);
}

const clone = (doc: YamlMap): YamlMap => JSON.parse(JSON.stringify(doc)) as YamlMap;

// ---------------------------------------------------------------------------------------------

describe('asyncapi.yaml', () => {
  const doc = loadDocument();
  const topics = Object.values(Topic);

  it('is an AsyncAPI 3 document with the local Kafka server', () => {
    expect(doc.asyncapi).toMatch(/^3\.0\./);
    const local = mapAt(doc, mapAt(doc, doc.servers, 'servers').local, 'servers.local');
    expect(local).toMatchObject({ host: '127.0.0.1:9092', protocol: 'kafka' });
  });

  it('has a channel for every topic of the Topic enum, and none other', () => {
    const addresses = [...channelsByAddress(doc).keys()].sort();
    expect(addresses).toEqual([...topics].sort());
  });

  it('marks the internal topic as internal', () => {
    const channel = channelsByAddress(doc).get(Topic.InviteEmailRequested);
    expect(channel?.['x-internal']).toBe(true);
  });

  describe.each(topics)('%s', (topic) => {
    it('has the envelope, with the type and version of the contracts', () => {
      const { payload } = messageOf(doc, topic);
      expect(stringList(payload.required).sort()).toEqual([...ENVELOPE_FIELDS].sort());
      const properties = mapAt(doc, payload.properties, `${topic} payload.properties`);
      expect(Object.keys(properties).sort()).toEqual([...ENVELOPE_FIELDS, ...OPTIONAL_ENVELOPE_FIELDS].sort());
      expect(schemaProblems(doc, properties.actor, actorShape, `${topic} actor`)).toEqual([]);
      expect(mapAt(doc, properties.type, 'type').const).toBe(EVENT_TYPES[topic].type);
      expect(mapAt(doc, properties.version, 'version').const).toBe(EVENT_TYPES[topic].version);
      expect(mapAt(doc, properties.id, 'id')).toMatchObject({ type: 'string', format: 'uuid' });
    });

    it('documents the message key', () => {
      const { message } = messageOf(doc, topic);
      const kafka = mapAt(doc, mapAt(doc, message.bindings, `${topic} bindings`).kafka, `${topic} kafka binding`);
      expect(mapAt(doc, kafka.key, `${topic} key`).type).toBe('string');
    });

    it('documents exactly the fields of the payload, required unless optional in TypeScript', () => {
      expect(dataProblems(doc, topic)).toEqual([]);
    });
  });

  describe('the comparison can fail', () => {
    const dataSchemaOf = (copy: YamlMap, name: string): YamlMap =>
      mapAt(copy, mapAt(copy, copy.components, 'components').schemas, 'schemas')[name] as YamlMap;

    it('when a field is missing from the schema', () => {
      const copy = clone(doc);
      const schema = dataSchemaOf(copy, 'InviteSentData');
      delete mapAt(copy, schema.properties, 'properties').resend;
      expect(dataProblems(copy, Topic.InviteSent)).toContain(`${Topic.InviteSent} data: resend missing`);
    });

    it('when a field is no longer required', () => {
      const copy = clone(doc);
      const schema = dataSchemaOf(copy, 'PortalLoginData');
      schema.required = stringList(schema.required).filter((f) => f !== 'at');
      expect(dataProblems(copy, Topic.PortalLogin)).toEqual([`${Topic.PortalLogin} data: at is not required`]);
    });

    it('when an optional field is required, or a nullable one is not nullable', () => {
      const copy = clone(doc);
      const result = dataSchemaOf(copy, 'NotificationResultData');
      result.required = [...stringList(result.required), 'reason'];
      const added = dataSchemaOf(copy, 'ContactAddedData');
      mapAt(copy, mapAt(copy, added.properties, 'properties').email, 'email').type = 'string';
      expect(dataProblems(copy, Topic.NotificationFailed)).toContain(
        `${Topic.NotificationFailed} data: reason is optional in TS`,
      );
      expect(dataProblems(copy, Topic.ContactAdded)).toContain(
        `${Topic.ContactAdded} data: email has type "string", sample is null`,
      );
    });

    it('when a nested field is added to the schema', () => {
      const copy = clone(doc);
      const schema = dataSchemaOf(copy, 'ContactUpdatedData');
      const changed = mapAt(copy, mapAt(copy, schema.properties, 'properties').changed, 'changed');
      mapAt(copy, changed.properties, 'changed.properties').title = { type: 'string' };
      expect(dataProblems(copy, Topic.ContactUpdated)).toEqual([
        `${Topic.ContactUpdated} data.changed: title not in TS`,
      ]);
    });
  });
});
