/**
 * Parse and validate the resource properties of `Custom::ConnectSecurityProfile` into the desired state.
 *
 * Pure. CloudFormation turns every scalar into a string, so booleans arrive as `"true"`; the handler
 * validates everything again at deploy time (a template may be written by hand, and Delete and rollback
 * events carry the properties of older templates). Every error names the property, shows the received
 * value and says what is allowed.
 */
import {
  AIAgentPayload,
  ApplicationPayload,
  CONTRACT_VERSION,
  DriftModeValue,
  FlowModulePayload,
  GranularAccessControlPayload,
  OWNER_TAG_KEY,
  PrimaryAttributeValuePayload,
  PROP,
  RemovalPolicyValue,
} from '../src/private/contract';

/**
 * The desired state of one security profile: every field Connect stores, normalised.
 *
 * Sets are sorted and de-duplicated; an undeclared field is empty. `allowedFlowModules` and
 * `allowedAIAgents` are `undefined` when not managed (the property was absent).
 */
export interface DesiredSecurityProfile {
  /** The instance id, parsed from `instanceArn`. */
  readonly instanceId: string;
  /** The instance ARN as declared. */
  readonly instanceArn: string;
  /** The security profile name (Connect cannot rename: a change means replacement). */
  readonly securityProfileName: string;
  /** The description; `''` when none. */
  readonly description: string;
  /** Permission names, sorted, unique. */
  readonly permissions: readonly string[];
  /** Resource tags (never the owner tag, never `aws:` tags). */
  readonly tags: Readonly<Record<string, string>>;
  /** Tag-based access control tags. */
  readonly allowedAccessControlTags: Readonly<Record<string, string>>;
  /** Resource types the access control tags apply to, sorted, unique. */
  readonly tagRestrictedResources: readonly string[];
  /** Applications, each with sorted unique permissions, sorted by namespace. */
  readonly applications: readonly ApplicationPayload[];
  /** Resource types restricted by hierarchy (today only `User`), sorted, unique. */
  readonly hierarchyRestrictedResources: readonly string[];
  /** The hierarchy group id used for access control; `undefined` when none. */
  readonly allowedAccessControlHierarchyGroupId?: string;
  /** Granular access control; `undefined` when none (an empty configuration is none). */
  readonly granularAccessControlConfiguration?: GranularAccessControlPayload;
  /** Flow modules; `undefined` when not managed. */
  readonly allowedFlowModules?: readonly FlowModulePayload[];
  /** AI agents; `undefined` when not managed. */
  readonly allowedAIAgents?: readonly AIAgentPayload[];
  /**
   * The owner mark to keep on the profile (the `OWNER_TAG_KEY` tag). Not a property: the handler sets it
   * from the event; `undefined` leaves the owner tag as it is.
   */
  readonly ownerMark?: string;
}

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
  /** Whether the sweep reports the users in scope. */
  readonly accessScopeReport: boolean;
}

/** The parsed properties. */
export interface ParsedProperties {
  /** The desired profile. */
  readonly profile: DesiredSecurityProfile;
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

/** Instance ARN: arn:<partition>:connect:<region>:<account>:instance/<instanceId>. */
const INSTANCE_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/([A-Za-z0-9-]{1,100})$/;
const NAME_PATTERN = /^[ a-zA-Z0-9_@-]+$/;
const TAG_KEY_PATTERN = /^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const APPLICATION_TYPES = ['MCP', 'THIRD_PARTY_APPLICATION'];
const FLOW_MODULE_TYPES = ['MCP'];
const AI_AGENT_TYPES = ['THIRD_PARTY'];
const ACCESS_TYPES = ['ALLOW'];
const HIERARCHY_RESOURCES = ['User'];
const REMOVAL_POLICIES: RemovalPolicyValue[] = ['Delete', 'Retain'];
const DRIFT_MODES: DriftModeValue[] = ['REMEDIATE', 'DETECT_ONLY', 'DISABLED'];
/** Connect allows 50 tags; one is the owner tag. */
export const MAX_USER_TAGS = 49;

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

  const instanceArn = requiredString(p, PROP.instanceArn);
  const arnMatch = INSTANCE_ARN.exec(instanceArn);
  if (!arnMatch) {
    throw new InvalidPropertyError(PROP.instanceArn, instanceArn,
      'expected an instance ARN like arn:aws:connect:us-east-1:123456789012:instance/<instanceId>');
  }

  const name = requiredString(p, PROP.securityProfileName);
  if (name.length < 1 || name.length > 127 || !NAME_PATTERN.test(name)) {
    throw new InvalidPropertyError(PROP.securityProfileName, name,
      'expected 1..127 characters from letters, digits, space, "_", "@" and "-"');
  }

  const description = optionalString(p, PROP.description) ?? '';
  if (description.length > 250) {
    throw new InvalidPropertyError(PROP.description, description, 'expected at most 250 characters');
  }

  const permissions = stringSet(p, PROP.permissions, { max: 500, itemMax: 128 });
  const tags = stringMap(p, PROP.tags, { max: MAX_USER_TAGS, keyMax: 128, valueMax: 256, tagList: true });
  for (const key of Object.keys(tags)) {
    if (key === OWNER_TAG_KEY) {
      throw new InvalidPropertyError(`${PROP.tags}.${key}`, key, 'this tag key is reserved for the owner mark; remove it');
    }
    if (!TAG_KEY_PATTERN.test(key)) {
      throw new InvalidPropertyError(`${PROP.tags}.${key}`, key,
        'tag keys must not start with "aws:" and may contain letters, digits, spaces and _.:/=+-@');
    }
  }
  const allowedAccessControlTags = stringMap(p, PROP.allowedAccessControlTags, { max: 4, keyMax: 128, valueMax: 256 });
  const tagRestrictedResources = stringSet(p, PROP.tagRestrictedResources, { max: 10, itemMax: 128 });
  const applications = parseApplications(p[PROP.applications]);
  const hierarchyRestrictedResources = stringSet(p, PROP.hierarchyRestrictedResources, { itemMax: 128 });
  for (const [i, r] of hierarchyRestrictedResources.entries()) {
    if (!HIERARCHY_RESOURCES.includes(r)) {
      throw new InvalidPropertyError(`${PROP.hierarchyRestrictedResources}[${i}]`, r, `allowed: ${HIERARCHY_RESOURCES.join(', ')}`);
    }
  }
  const groupId = optionalString(p, PROP.allowedAccessControlHierarchyGroupId);
  if (groupId !== undefined && groupId.length > 100) {
    throw new InvalidPropertyError(PROP.allowedAccessControlHierarchyGroupId, groupId, 'expected a hierarchy group id (not an ARN)');
  }
  if (groupId !== undefined && groupId.startsWith('arn:')) {
    throw new InvalidPropertyError(PROP.allowedAccessControlHierarchyGroupId, groupId, 'expected a hierarchy group id, not an ARN');
  }
  const granular = parseGranular(p[PROP.granularAccessControlConfiguration]);
  const allowedFlowModules = p[PROP.allowedFlowModules] === undefined ? undefined : parseFlowModules(p[PROP.allowedFlowModules]);
  const allowedAIAgents = p[PROP.allowedAIAgents] === undefined ? undefined : parseAIAgents(p[PROP.allowedAIAgents]);

  const removalPolicy = (optionalString(p, PROP.removalPolicy) ?? 'Delete') as RemovalPolicyValue;
  if (!REMOVAL_POLICIES.includes(removalPolicy)) {
    throw new InvalidPropertyError(PROP.removalPolicy, p[PROP.removalPolicy], `allowed: ${REMOVAL_POLICIES.join(', ')}`);
  }
  const driftMode = (optionalString(p, PROP.driftMode) ?? 'DISABLED') as DriftModeValue;
  if (!DRIFT_MODES.includes(driftMode)) {
    throw new InvalidPropertyError(PROP.driftMode, p[PROP.driftMode], `allowed: ${DRIFT_MODES.join(', ')}`);
  }

  return {
    profile: {
      instanceId: arnMatch[1],
      instanceArn,
      securityProfileName: name,
      description,
      permissions,
      tags,
      allowedAccessControlTags,
      tagRestrictedResources,
      applications,
      hierarchyRestrictedResources,
      ...(groupId ? { allowedAccessControlHierarchyGroupId: groupId } : {}),
      ...(granular ? { granularAccessControlConfiguration: granular } : {}),
      ...(allowedFlowModules ? { allowedFlowModules } : {}),
      ...(allowedAIAgents ? { allowedAIAgents } : {}),
    },
    settings: {
      contractVersion,
      removalPolicy,
      adoptExisting: bool(p, PROP.adoptExisting, false),
      driftMode,
      accessScopeReport: bool(p, PROP.accessScopeReport, true),
    },
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

function parseApplications(value: unknown): ApplicationPayload[] {
  const list = optionalList(PROP.applications, value);
  if (list.length > 10) throw new InvalidPropertyError(PROP.applications, value, 'expected at most 10 applications');
  const byNamespace = new Map<string, ApplicationPayload>();
  list.forEach((item, i) => {
    const path = `${PROP.applications}[${i}]`;
    const obj = object(path, item);
    const namespace = scalar(`${path}.Namespace`, obj.Namespace);
    if (namespace.length < 1 || namespace.length > 128) {
      throw new InvalidPropertyError(`${path}.Namespace`, obj.Namespace, 'expected 1..128 characters');
    }
    const permissions = sortedUnique(optionalList(`${path}.ApplicationPermissions`, obj.ApplicationPermissions)
      .map((v, j) => boundedString(`${path}.ApplicationPermissions[${j}]`, v, 1, 128)));
    if (permissions.length < 1 || permissions.length > 50) {
      throw new InvalidPropertyError(`${path}.ApplicationPermissions`, obj.ApplicationPermissions, 'expected 1..50 permissions');
    }
    const type = obj.Type === undefined || obj.Type === '' ? undefined : scalar(`${path}.Type`, obj.Type);
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

function parseFlowModules(value: unknown): FlowModulePayload[] {
  const list = optionalList(PROP.allowedFlowModules, value);
  if (list.length > 10) throw new InvalidPropertyError(PROP.allowedFlowModules, value, 'expected at most 10 flow modules');
  const items = list.map((item, i) => {
    const path = `${PROP.allowedFlowModules}[${i}]`;
    const obj = object(path, item);
    const type = scalar(`${path}.Type`, obj.Type);
    if (!FLOW_MODULE_TYPES.includes(type)) throw new InvalidPropertyError(`${path}.Type`, obj.Type, `allowed: ${FLOW_MODULE_TYPES.join(', ')}`);
    return { Type: type, FlowModuleId: boundedString(`${path}.FlowModuleId`, obj.FlowModuleId, 1, 128) };
  });
  return uniqueBy(items, (m) => `${m.Type}\u0000${m.FlowModuleId}`);
}

function parseAIAgents(value: unknown): AIAgentPayload[] {
  const list = optionalList(PROP.allowedAIAgents, value);
  const items = list.map((item, i) => {
    const path = `${PROP.allowedAIAgents}[${i}]`;
    const obj = object(path, item);
    const type = scalar(`${path}.Type`, obj.Type);
    if (!AI_AGENT_TYPES.includes(type)) throw new InvalidPropertyError(`${path}.Type`, obj.Type, `allowed: ${AI_AGENT_TYPES.join(', ')}`);
    return { Arn: boundedString(`${path}.Arn`, obj.Arn, 1, 2048), Type: type };
  });
  return uniqueBy(items, (a) => `${a.Type}\u0000${a.Arn}`);
}

function parseGranular(value: unknown): GranularAccessControlPayload | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const path = PROP.granularAccessControlConfiguration;
  const root = object(path, value);
  const dt = root.DataTableAccessControlConfiguration;
  if (dt === undefined) return undefined;
  const dtObj = object(`${path}.DataTableAccessControlConfiguration`, dt);
  const pa = dtObj.PrimaryAttributeAccessControlConfiguration;
  if (pa === undefined) return undefined;
  const paPath = `${path}.DataTableAccessControlConfiguration.PrimaryAttributeAccessControlConfiguration`;
  const paObj = object(paPath, pa);
  const values = optionalList(`${paPath}.PrimaryAttributeValues`, paObj.PrimaryAttributeValues);
  if (values.length > 5) throw new InvalidPropertyError(`${paPath}.PrimaryAttributeValues`, values, 'expected at most 5 entries');
  const parsed: PrimaryAttributeValuePayload[] = values.map((item, i) => {
    const itemPath = `${paPath}.PrimaryAttributeValues[${i}]`;
    const obj = object(itemPath, item);
    const accessType = scalar(`${itemPath}.AccessType`, obj.AccessType);
    if (!ACCESS_TYPES.includes(accessType)) {
      throw new InvalidPropertyError(`${itemPath}.AccessType`, obj.AccessType, `allowed: ${ACCESS_TYPES.join(', ')}`);
    }
    const attributeName = boundedString(`${itemPath}.AttributeName`, obj.AttributeName, 1, 127);
    const vals = sortedUnique(optionalList(`${itemPath}.Values`, obj.Values).map((v, j) => scalar(`${itemPath}.Values[${j}]`, v)));
    if (vals.length > 2) throw new InvalidPropertyError(`${itemPath}.Values`, obj.Values, 'expected at most 2 values');
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

function requiredString(p: Record<string, unknown>, key: string): string {
  const value = p[key];
  if (value === undefined || value === null || value === '') {
    throw new InvalidPropertyError(key, value, 'this property is required');
  }
  return scalar(key, value);
}

function optionalString(p: Record<string, unknown>, key: string): string | undefined {
  const value = p[key];
  if (value === undefined || value === null) return undefined;
  return scalar(key, value);
}

/** A scalar as CloudFormation sends it: a string (numbers and booleans from direct invocations are converted). */
function scalar(path: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new InvalidPropertyError(path, value, 'expected a string');
}

function boundedString(path: string, value: unknown, min: number, max: number): string {
  const s = scalar(path, value);
  if (s.length < min || s.length > max) throw new InvalidPropertyError(path, value, `expected ${min}..${max} characters`);
  return s;
}

function bool(p: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = p[key];
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new InvalidPropertyError(key, value, 'expected "true" or "false"');
}

function optionalList(path: string, value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) throw new InvalidPropertyError(path, value, 'expected a list');
  return value;
}

function object(path: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidPropertyError(path, value, 'expected an object');
  }
  return value as Record<string, unknown>;
}

function stringSet(p: Record<string, unknown>, key: string, limits: { max?: number; itemMax: number }): string[] {
  const list = optionalList(key, p[key]).map((v, i) => boundedString(`${key}[${i}]`, v, 1, limits.itemMax));
  const unique = sortedUnique(list);
  if (limits.max !== undefined && unique.length > limits.max) {
    throw new InvalidPropertyError(key, `${unique.length} entries`, `expected at most ${limits.max}`);
  }
  return unique;
}

function stringMap(p: Record<string, unknown>, key: string,
  limits: { max: number; keyMax: number; valueMax: number; tagList?: boolean }): Record<string, string> {
  const value = p[key];
  if (value === undefined || value === null || value === '') return {};
  let entries: Array<[string, unknown]>;
  if (Array.isArray(value) && limits.tagList) {
    // CloudFormation's tag list form [{ Key, Value }]
    entries = value.map((item, i) => {
      const obj = object(`${key}[${i}]`, item);
      return [scalar(`${key}[${i}].Key`, obj.Key), obj.Value ?? ''];
    });
  } else {
    entries = Object.entries(object(key, value));
  }
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > limits.keyMax) throw new InvalidPropertyError(`${key}.${k}`, k, `keys must be 1..${limits.keyMax} characters`);
    const s = scalar(`${key}.${k}`, v);
    if (s.length > limits.valueMax) throw new InvalidPropertyError(`${key}.${k}`, s, `values must be at most ${limits.valueMax} characters`);
    out[k] = s;
  }
  if (Object.keys(out).length > limits.max) {
    throw new InvalidPropertyError(key, `${Object.keys(out).length} entries`, `expected at most ${limits.max}`);
  }
  return out;
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
