/**
 * Parse and validate the resource properties of `Custom::ConnectSecurityProfile` into the desired state.
 *
 * Pure. CloudFormation turns every scalar into a string, so booleans arrive as `"true"`; the handler
 * validates everything again at deploy time (a template may be written by hand, and Delete and rollback
 * events carry the properties of older templates). Every error names the property, shows the received
 * value and says what is allowed.
 */
import { MAX_TAG_VALUE_LENGTH } from './owner';
import type { SecurityProfileState } from './profile-state';
import { parseInstanceArn } from '../src/private/arns';
import {
  AIAgentPayload,
  ApplicationPayload,
  CONTRACT_VERSION,
  DriftModeValue,
  FlowModulePayload,
  GranularAccessControlPayload,
  OWNER_TAG_KEY,
  PrimaryAttributeValuePayload,
  lengthInCodePoints,
  PROP,
  RemovalPolicyValue,
} from '../src/private/contract';
import { LIMITS } from '../src/private/limits';

/** The settings of the resource that are not fields of the profile. */
export interface ResourceSettings {
  /** The contract version of the payload (`'1'` when absent). */
  readonly contractVersion: string;
  /** What Delete does. */
  readonly removalPolicy: RemovalPolicyValue;
  /** Adopt a same-named profile that lacks our owner mark. */
  readonly adoptExisting: boolean;
  /** Drift reconciliation mode. */
  readonly driftMode: DriftModeValue;
}

/** The parsed properties. */
export interface ParsedProperties {
  /** The desired profile. */
  readonly profile: SecurityProfileState;
  /** The other settings. */
  readonly settings: ResourceSettings;
}

/**
 * A property that does not satisfy the contract or Connect's constraints.
 */
export class InvalidPropertyError extends Error {
  /** The property path, e.g. `Applications[0].Namespace`. */
  public readonly property: string;

  constructor(property: string, received: unknown, allowed: string) {
    super(`invalid property ${property}: received ${show(received)}; ${allowed}`);
    this.name = 'InvalidPropertyError';
    this.property = property;
  }
}

const TAG_KEY_PATTERN = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const APPLICATION_TYPES = ['MCP', 'THIRD_PARTY_APPLICATION'];
const FLOW_MODULE_TYPES = ['MCP'];
const AI_AGENT_TYPES = ['THIRD_PARTY'];
const ACCESS_TYPES = ['ALLOW'];
const HIERARCHY_RESOURCES = ['User'];
const REMOVAL_POLICIES: RemovalPolicyValue[] = ['Delete', 'Retain'];
const DRIFT_MODES: DriftModeValue[] = ['REMEDIATE', 'DETECT_ONLY', 'DISABLED'];
/** Connect's tag limit less the owner tag. */
export const MAX_USER_TAGS = LIMITS.tags - 1;

/**
 * Parse the resource properties of an event.
 *
 * @param properties `ResourceProperties` (or `OldResourceProperties`) of a CloudFormation event
 * @throws InvalidPropertyError naming the property, the value received and what is allowed
 */
export function parseProperties(properties: unknown): ParsedProperties {
  if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) {
    throw new InvalidPropertyError('ResourceProperties', properties, 'expected an object of properties');
  }
  // unknown keys (the Provider framework's ServiceToken, keys of newer templates) are ignored
  const p = properties as Record<string, unknown>;

  const contractVersion = optionalString(p, PROP.contractVersion) ?? '1';
  if (Number(contractVersion) > Number(CONTRACT_VERSION) || !/^\d+$/.test(contractVersion)) {
    throw new InvalidPropertyError(PROP.contractVersion, p[PROP.contractVersion],
      `this handler understands versions 1..${CONTRACT_VERSION}; deploy the handler that came with the construct`);
  }

  // the state's members are the property keys
  const profile = parseProfile(new FieldReader((field) => p[field], (field) => field, false));

  return {
    profile,
    settings: {
      contractVersion,
      removalPolicy: oneOf(p, PROP.removalPolicy, REMOVAL_POLICIES, 'Delete'),
      adoptExisting: bool(p, PROP.adoptExisting, false),
      driftMode: oneOf(p, PROP.driftMode, DRIFT_MODES, 'DISABLED'),
    },
  };
}

/**
 * Parse a desired state read back from storage (JSON), with the same per-field validation as
 * `parseProperties`, and stricter types: the record is this handler's own normalised output, so a
 * scalar must be a string, a list a list and a map an object (no `""` for an empty list, no tag-list
 * form), every field `parseProperties` always returns must be present, and a key that is no field of
 * a version 1 desired state is refused rather than dropped (applying a record without a field it was
 * meant to carry would reset that field in Connect).
 *
 * @param value the parsed JSON of a version 1 record's `desired` (camel-case field names: `permissions`)
 * @param path how errors name the record (default `desired`): `desired.permissions[3]`
 * @returns the normalised desired state (sets sorted and de-duplicated), without the owner mark (the record's
 *   `ownerMark` attribute is the one kept)
 * @throws InvalidPropertyError naming the field, the value received and what is allowed
 */
export function parseDesiredRecord(value: unknown, path: string = 'desired'): SecurityProfileState {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPropertyError(path, value, 'expected a desired-state object');
  }
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (!RECORD_FIELDS.has(key)) {
      throw new InvalidPropertyError(`${path}.${key}`, r[key],
        `not a field of a desired state (known: ${[...RECORD_FIELDS].join(', ')}); rewrite the record by deploying the stack again`);
    }
  }
  const profile = parseProfile(new FieldReader((field) => r[legacyName(field)], (field) => `${path}.${legacyName(field)}`, true));

  const instanceId = r.instanceId;
  if (instanceId !== profile.InstanceId) {
    throw new InvalidPropertyError(`${path}.instanceId`, instanceId, `expected "${profile.InstanceId}", the instance id of ${path}.instanceArn`);
  }
  // the record's ownerMark attribute is the mark kept on the profile; this copy must still be one
  const mark = r.ownerMark;
  if (mark !== undefined && (typeof mark !== 'string' || lengthInCodePoints(mark) < 1 || lengthInCodePoints(mark) > MAX_TAG_VALUE_LENGTH)) {
    throw new InvalidPropertyError(`${path}.ownerMark`, mark, `expected a string of 1..${MAX_TAG_VALUE_LENGTH} characters (a tag value)`);
  }
  return profile;
}

/** The fields of the profile a template declares: members of `SecurityProfileState`, and property keys. */
type ProfileField = Exclude<keyof SecurityProfileState, 'InstanceId'>;

/** How a version 1 record names a field: in camel case (`permissions`). */
function legacyName(field: ProfileField): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

/** Every key the desired state of a version 1 record may hold. */
const RECORD_FIELDS: ReadonlySet<string> = new Set<string>([
  'instanceId', 'instanceArn', 'securityProfileName', 'description', 'permissions', 'tags', 'allowedAccessControlTags',
  'tagRestrictedResources', 'applications', 'hierarchyRestrictedResources', 'allowedAccessControlHierarchyGroupId',
  'granularAccessControlConfiguration', 'allowedFlowModules', 'allowedAIAgents', 'ownerMark',
]);

/**
 * Where the profile's fields come from and how errors name them.
 *
 * Lenient (properties): CloudFormation turns scalars into strings and a hand-written template may hold `""`
 * for an empty list or the `[{ Key, Value }]` tag form; all of that is accepted. Strict (stored records):
 * only the shape `parseProperties` returns is accepted.
 */
class FieldReader {
  constructor(
    private readonly read: (field: ProfileField) => unknown,
    private readonly name: (field: ProfileField) => string,
    public readonly strict: boolean,
  ) {}

  public value(field: ProfileField): unknown {
    return this.read(field);
  }

  public path(field: ProfileField): string {
    return this.name(field);
  }

  /** A scalar: a string; in lenient mode numbers and booleans of direct invocations are converted. */
  public scalar(path: string, value: unknown): string {
    if (typeof value === 'string') return value;
    if (!this.strict && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
    throw new InvalidPropertyError(path, value, 'expected a string');
  }

  public boundedString(path: string, value: unknown, min: number, max: number): string {
    const s = this.scalar(path, value);
    const length = lengthInCodePoints(s);
    if (length < min || length > max) throw new InvalidPropertyError(path, value, `expected ${min}..${max} characters`);
    return s;
  }

  /** A string field that may be absent (`undefined` when it is). */
  public optionalString(field: ProfileField): string | undefined {
    const value = this.value(field);
    if (value === undefined || (!this.strict && value === null)) return undefined;
    return this.scalar(this.path(field), value);
  }

  /** A field that `parseProperties` always returns: required in a record, `fallback` when absent from properties. */
  public present(field: ProfileField, fallback: unknown): unknown {
    const value = this.value(field);
    if (value === undefined && this.strict) {
      throw new InvalidPropertyError(this.path(field), value, 'this field is required in a stored desired state');
    }
    return value === undefined ? fallback : value;
  }

  public list(path: string, value: unknown): unknown[] {
    if (!this.strict && (value === undefined || value === null || value === '')) return [];
    if (!Array.isArray(value)) throw new InvalidPropertyError(path, value, 'expected a list');
    return value;
  }

  public object(path: string, value: unknown): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new InvalidPropertyError(path, value, 'expected an object');
    }
    return value as Record<string, unknown>;
  }

  public stringSet(field: ProfileField, limits: { max?: number; itemMax: number }): string[] {
    const path = this.path(field);
    const list = this.list(path, this.present(field, [])).map((v, i) => this.boundedString(`${path}[${i}]`, v, 1, limits.itemMax));
    const unique = sortedUnique(list);
    if (limits.max !== undefined && unique.length > limits.max) {
      throw new InvalidPropertyError(path, `${unique.length} entries`, `expected at most ${limits.max}`);
    }
    return unique;
  }

  public stringMap(field: ProfileField, limits: { max: number; keyMax: number; valueMax: number; tagList?: boolean }): Record<string, string> {
    const path = this.path(field);
    const value = this.present(field, {});
    if (!this.strict && (value === undefined || value === null || value === '')) return {};
    let entries: Array<[string, unknown]>;
    if (Array.isArray(value) && limits.tagList && !this.strict) {
      // CloudFormation's tag list form [{ Key, Value }]
      entries = value.map((item, i) => {
        const obj = this.object(`${path}[${i}]`, item);
        return [this.scalar(`${path}[${i}].Key`, obj.Key), obj.Value ?? ''];
      });
    } else {
      entries = Object.entries(this.object(path, value));
    }
    const out: Record<string, string> = {};
    for (const [k, v] of entries) {
      const keyLength = lengthInCodePoints(k);
      if (keyLength < 1 || keyLength > limits.keyMax) throw new InvalidPropertyError(`${path}.${k}`, k, `keys must be 1..${limits.keyMax} characters`);
      const s = this.scalar(`${path}.${k}`, v);
      if (lengthInCodePoints(s) > limits.valueMax) throw new InvalidPropertyError(`${path}.${k}`, s, `values must be at most ${limits.valueMax} characters`);
      out[k] = s;
    }
    if (Object.keys(out).length > limits.max) {
      throw new InvalidPropertyError(path, `${Object.keys(out).length} entries`, `expected at most ${limits.max}`);
    }
    return out;
  }
}

/** The profile's fields, validated and normalised: the one validation of properties and of stored records. */
function parseProfile(f: FieldReader): SecurityProfileState {
  const instanceArnPath = f.path('InstanceArn');
  const instanceArn = requiredString(f, 'InstanceArn');
  const instance = parseInstanceArn(instanceArn);
  if (!instance) {
    throw new InvalidPropertyError(instanceArnPath, instanceArn,
      'expected an instance ARN like arn:aws:connect:us-east-1:123456789012:instance/<instanceId>');
  }

  const name = requiredString(f, 'SecurityProfileName');
  const nameLength = lengthInCodePoints(name);
  if (nameLength < 1 || nameLength > LIMITS.nameMaxLength || !LIMITS.namePattern.test(name)) {
    throw new InvalidPropertyError(f.path('SecurityProfileName'), name,
      `expected 1..${LIMITS.nameMaxLength} characters from letters, digits, space, "_", "@" and "-"`);
  }

  const descriptionValue = f.present('Description', undefined);
  const description = descriptionValue === undefined || (!f.strict && descriptionValue === null)
    ? '' : f.scalar(f.path('Description'), descriptionValue);
  if (lengthInCodePoints(description) > LIMITS.descriptionMaxLength) {
    throw new InvalidPropertyError(f.path('Description'), description, `expected at most ${LIMITS.descriptionMaxLength} characters`);
  }

  const permissions = f.stringSet('Permissions', { max: LIMITS.permissions, itemMax: LIMITS.permissionMaxLength });
  const tags = f.stringMap('Tags', { max: MAX_USER_TAGS, keyMax: LIMITS.tagKeyMaxLength, valueMax: LIMITS.tagValueMaxLength, tagList: true });
  for (const key of Object.keys(tags)) {
    if (key === OWNER_TAG_KEY) {
      throw new InvalidPropertyError(`${f.path('Tags')}.${key}`, key, 'this tag key is reserved for the owner mark; remove it');
    }
    if (!TAG_KEY_PATTERN.test(key)) {
      throw new InvalidPropertyError(`${f.path('Tags')}.${key}`, key,
        'tag keys must not start with "aws:" and may contain letters, digits, spaces and _.:/=+-@');
    }
  }
  const allowedAccessControlTags = f.stringMap('AllowedAccessControlTags', {
    max: LIMITS.accessControlTags, keyMax: LIMITS.accessControlTagKeyMaxLength, valueMax: LIMITS.accessControlTagValueMaxLength,
  });
  const tagRestrictedResources = f.stringSet('TagRestrictedResources', { max: LIMITS.tagRestrictedResources, itemMax: LIMITS.tagRestrictedResourceMaxLength });
  const applications = parseApplications(f);
  const hierarchyRestrictedResources = f.stringSet('HierarchyRestrictedResources', { itemMax: LIMITS.tagRestrictedResourceMaxLength });
  for (const [i, r] of hierarchyRestrictedResources.entries()) {
    if (!HIERARCHY_RESOURCES.includes(r)) {
      throw new InvalidPropertyError(`${f.path('HierarchyRestrictedResources')}[${i}]`, r, `allowed: ${HIERARCHY_RESOURCES.join(', ')}`);
    }
  }
  const groupPath = f.path('AllowedAccessControlHierarchyGroupId');
  const groupId = f.optionalString('AllowedAccessControlHierarchyGroupId');
  if (groupId !== undefined && lengthInCodePoints(groupId) > LIMITS.hierarchyGroupIdMaxLength) {
    throw new InvalidPropertyError(groupPath, groupId, 'expected a hierarchy group id (not an ARN)');
  }
  if (groupId !== undefined && groupId.startsWith('arn:')) {
    throw new InvalidPropertyError(groupPath, groupId, 'expected a hierarchy group id, not an ARN');
  }
  if (groupId === '' && f.strict) {
    throw new InvalidPropertyError(groupPath, groupId, 'expected a hierarchy group id, or no field when there is none');
  }
  const granular = parseGranular(f);
  const allowedFlowModules = f.value('AllowedFlowModules') === undefined ? undefined : parseFlowModules(f);
  const allowedAIAgents = f.value('AllowedAIAgents') === undefined ? undefined : parseAIAgents(f);

  return {
    InstanceArn: instanceArn,
    InstanceId: instance.instanceId,
    SecurityProfileName: name,
    Description: description,
    Permissions: permissions,
    Tags: tags,
    AllowedAccessControlTags: allowedAccessControlTags,
    TagRestrictedResources: tagRestrictedResources,
    Applications: applications,
    HierarchyRestrictedResources: hierarchyRestrictedResources,
    ...(groupId ? { AllowedAccessControlHierarchyGroupId: groupId } : {}),
    ...(granular ? { GranularAccessControlConfiguration: granular } : {}),
    ...(allowedFlowModules ? { AllowedFlowModules: allowedFlowModules } : {}),
    ...(allowedAIAgents ? { AllowedAIAgents: allowedAIAgents } : {}),
  };
}

/**
 * Read only what Delete needs (the removal policy), tolerating anything else an old or broken
 * template may hold: a Delete must not fail because a property no longer validates.
 */
export function parseRemovalPolicy(properties: unknown): RemovalPolicyValue {
  if (typeof properties !== 'object' || properties === null) return 'Delete';
  const value = (properties as Record<string, unknown>)[PROP.removalPolicy];
  return typeof value === 'string' && value.toLowerCase() === 'retain' ? 'Retain' : 'Delete';
}

function parseApplications(f: FieldReader): ApplicationPayload[] {
  const root = f.path('Applications');
  const value = f.present('Applications', []);
  const list = f.list(root, value);
  if (list.length > LIMITS.applications) throw new InvalidPropertyError(root, value, `expected at most ${LIMITS.applications} applications`);
  const byNamespace = new Map<string, ApplicationPayload>();
  list.forEach((item, i) => {
    const path = `${root}[${i}]`;
    const obj = f.object(path, item);
    const namespace = f.boundedString(`${path}.Namespace`, obj.Namespace, 1, LIMITS.applicationNamespaceMaxLength);
    const permissions = sortedUnique(f.list(`${path}.ApplicationPermissions`, obj.ApplicationPermissions)
      .map((v, j) => f.boundedString(`${path}.ApplicationPermissions[${j}]`, v, 1, LIMITS.applicationPermissionMaxLength)));
    if (permissions.length < 1 || permissions.length > LIMITS.applicationPermissions) {
      throw new InvalidPropertyError(`${path}.ApplicationPermissions`, obj.ApplicationPermissions, `expected 1..${LIMITS.applicationPermissions} permissions`);
    }
    const type = obj.Type === undefined || (obj.Type === '' && !f.strict) ? undefined : f.scalar(`${path}.Type`, obj.Type);
    if (type !== undefined && !APPLICATION_TYPES.includes(type)) {
      throw new InvalidPropertyError(`${path}.Type`, obj.Type, `allowed: ${APPLICATION_TYPES.join(', ')}`);
    }
    if (byNamespace.has(namespace)) {
      throw new InvalidPropertyError(`${path}.Namespace`, namespace, 'each application namespace may appear once');
    }
    byNamespace.set(namespace, { Namespace: namespace, ApplicationPermissions: permissions, ...(type ? { Type: type } : {}) });
  });
  return [...byNamespace.values()].sort((a, b) => compare(a.Namespace, b.Namespace));
}

function parseFlowModules(f: FieldReader): FlowModulePayload[] {
  const root = f.path('AllowedFlowModules');
  const value = f.value('AllowedFlowModules');
  const list = f.list(root, value);
  if (list.length > LIMITS.flowModules) throw new InvalidPropertyError(root, value, `expected at most ${LIMITS.flowModules} flow modules`);
  const items = list.map((item, i) => {
    const path = `${root}[${i}]`;
    const obj = f.object(path, item);
    const type = f.scalar(`${path}.Type`, obj.Type);
    if (!FLOW_MODULE_TYPES.includes(type)) throw new InvalidPropertyError(`${path}.Type`, obj.Type, `allowed: ${FLOW_MODULE_TYPES.join(', ')}`);
    return { Type: type, FlowModuleId: f.boundedString(`${path}.FlowModuleId`, obj.FlowModuleId, 1, LIMITS.flowModuleIdMaxLength) };
  });
  return uniqueBy(items, (m) => `${m.Type}\u0000${m.FlowModuleId}`);
}

function parseAIAgents(f: FieldReader): AIAgentPayload[] {
  const root = f.path('AllowedAIAgents');
  const list = f.list(root, f.value('AllowedAIAgents'));
  const items = list.map((item, i) => {
    const path = `${root}[${i}]`;
    const obj = f.object(path, item);
    const type = f.scalar(`${path}.Type`, obj.Type);
    if (!AI_AGENT_TYPES.includes(type)) throw new InvalidPropertyError(`${path}.Type`, obj.Type, `allowed: ${AI_AGENT_TYPES.join(', ')}`);
    return { Arn: f.boundedString(`${path}.Arn`, obj.Arn, 1, LIMITS.aiAgentArnMaxLength), Type: type };
  });
  return uniqueBy(items, (a) => `${a.Type}\u0000${a.Arn}`);
}

function parseGranular(f: FieldReader): GranularAccessControlPayload | undefined {
  const value = f.value('GranularAccessControlConfiguration');
  if (value === undefined || (!f.strict && (value === null || value === ''))) return undefined;
  const path = f.path('GranularAccessControlConfiguration');
  const root = f.object(path, value);
  const dt = root.DataTableAccessControlConfiguration;
  if (dt === undefined) return undefined;
  const dtObj = f.object(`${path}.DataTableAccessControlConfiguration`, dt);
  const pa = dtObj.PrimaryAttributeAccessControlConfiguration;
  if (pa === undefined) return undefined;
  const paPath = `${path}.DataTableAccessControlConfiguration.PrimaryAttributeAccessControlConfiguration`;
  const paObj = f.object(paPath, pa);
  const values = paObj.PrimaryAttributeValues === undefined ? [] : f.list(`${paPath}.PrimaryAttributeValues`, paObj.PrimaryAttributeValues);
  if (values.length > LIMITS.primaryAttributeValues) {
    throw new InvalidPropertyError(`${paPath}.PrimaryAttributeValues`, values, `expected at most ${LIMITS.primaryAttributeValues} entries`);
  }
  const parsed: PrimaryAttributeValuePayload[] = values.map((item, i) => {
    const itemPath = `${paPath}.PrimaryAttributeValues[${i}]`;
    const obj = f.object(itemPath, item);
    const accessType = f.scalar(`${itemPath}.AccessType`, obj.AccessType);
    if (!ACCESS_TYPES.includes(accessType)) {
      throw new InvalidPropertyError(`${itemPath}.AccessType`, obj.AccessType, `allowed: ${ACCESS_TYPES.join(', ')}`);
    }
    const attributeName = f.boundedString(`${itemPath}.AttributeName`, obj.AttributeName, 1, LIMITS.primaryAttributeNameMaxLength);
    const vals = sortedUnique(f.list(`${itemPath}.Values`, obj.Values).map((v, j) => f.scalar(`${itemPath}.Values[${j}]`, v)));
    if (vals.length > LIMITS.primaryAttributeValueValues) {
      throw new InvalidPropertyError(`${itemPath}.Values`, obj.Values, `expected at most ${LIMITS.primaryAttributeValueValues} values`);
    }
    return { AccessType: accessType, AttributeName: attributeName, Values: vals };
  });
  if (parsed.length === 0) return undefined;
  const sorted = uniqueBy(parsed, primaryAttributeKey);
  return { DataTableAccessControlConfiguration: { PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: sorted } } };
}

/** The identity of one primary attribute rule, for set comparison. */
export function primaryAttributeKey(v: PrimaryAttributeValuePayload): string {
  return JSON.stringify([v.AccessType, v.AttributeName, [...v.Values].sort()]);
}

// ---------------------------------------------------------------------------------------------
// scalar helpers
// ---------------------------------------------------------------------------------------------

function requiredString(f: FieldReader, field: ProfileField): string {
  const value = f.value(field);
  if (value === undefined || value === null || value === '') {
    throw new InvalidPropertyError(f.path(field), value, 'this property is required');
  }
  return f.scalar(f.path(field), value);
}

/** A setting's scalar (settings exist only in properties, so CloudFormation's stringified scalars are accepted). */
function optionalString(p: Record<string, unknown>, key: string): string | undefined {
  const value = p[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InvalidPropertyError(key, value, 'expected a string');
}

/**
 * One of a closed set of values, matched without regard to case (`remediate` is `REMEDIATE`), so a
 * hand-written template's spelling does not decide between a mode and a failed deploy; anything else
 * fails naming the property and the allowed values.
 */
function oneOf<T extends string>(p: Record<string, unknown>, key: string, allowed: readonly T[], fallback: T): T {
  const value = optionalString(p, key);
  if (value === undefined || value === '') return fallback;
  const match = allowed.find((a) => a.toUpperCase() === value.trim().toUpperCase());
  if (match === undefined) throw new InvalidPropertyError(key, p[key], `allowed: ${allowed.join(', ')} (in any case)`);
  return match;
}

function bool(p: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = p[key];
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidPropertyError(key, value, 'expected "true" or "false"');
}

function sortedUnique(values: string[]): string[] {
  return [...new Set(values)].sort(compare);
}

function uniqueBy<T>(items: T[], key: (t: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return [...map.entries()].sort((a, b) => compare(a[0], b[0])).map(([, v]) => v);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') {text = JSON.stringify(value);} else if (value === undefined) {text = 'nothing';} else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
