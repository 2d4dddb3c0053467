/**
 * The documented limits of SearchUsers, and the checks the builders share.
 *
 * Pure: no SDK and no aws-cdk-lib, so lambda/ can use it too.
 */
import { HierarchyGroupMatchType } from './enums';

/** At most this many tag conditions in one user-attribute filter (ControlPlaneUserAttributeFilter). */
export const MAX_TAG_CONDITIONS = 25;

/** At most this many hierarchy group conditions in one user-attribute filter (ControlPlaneUserAttributeFilter). */
export const MAX_HIERARCHY_GROUP_CONDITIONS = 20;

/** A `CONTAINS` value must be at least this long. */
export const MIN_CONTAINS_LENGTH = 2;

/** A `CONTAINS` value must be at most this long. */
export const MAX_CONTAINS_LENGTH = 25;

/**
 * True when `value` holds an unresolved CDK token, which only resolves at deploy time.
 *
 * Detected by text (`${Token[`), so src/search needs no aws-cdk-lib import; length checks skip such values.
 */
export function isUnresolvedToken(value: string): boolean {
  return value.includes('${Token[');
}

/** Quote a received value for an error message, shortening long ones. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Throw unless `value` is a non-empty string. */
export function requireNonEmpty(what: string, value: unknown, fix: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${what} must be a non-empty string, got ${show(value)}: ${fix}`);
  }
  return value;
}

/** Throw unless `value` is one of the values of `enumObject`. */
export function requireEnum<T extends string>(what: string, value: unknown, enumObject: Record<string, T>): T {
  const allowed = Object.values(enumObject);
  if (!allowed.includes(value as T)) {
    throw new Error(`${what} must be one of ${allowed.join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

/** A rendered `HierarchyGroupCondition`, as the API takes it. */
export interface HierarchyGroupConditionJson {
  readonly Value: string;
  readonly HierarchyGroupMatchType: string;
}

/** A rendered `TagCondition`, as the API takes it. */
export interface TagConditionJson {
  readonly TagKey: string;
  readonly TagValue: string;
}

/** Validate and build one hierarchy group condition. `where` names the calling builder in messages. */
export function hierarchyGroupCondition(where: string, groupId: unknown, matchType: unknown): HierarchyGroupConditionJson {
  const value = requireNonEmpty(`${where}: the hierarchy group id`, groupId, 'pass the group (or its id) the condition should match');
  if (!isUnresolvedToken(value) && value.startsWith('arn:')) {
    throw new Error(`${where}: the hierarchy group must be given by id, not ARN, got ${show(value)}: pass the last part of the ARN (after "agent-group/")`);
  }
  const type = requireEnum(`${where}: the hierarchy group match type`, matchType, HierarchyGroupMatchType);
  return { Value: value, HierarchyGroupMatchType: type };
}

/** Validate and build one tag condition. */
export function tagCondition(where: string, key: unknown, value: unknown): TagConditionJson {
  const tagKey = requireNonEmpty(`${where}: the tag key`, key, 'name the tag the users must carry');
  if (!isUnresolvedToken(tagKey) && tagKey.length > 128) {
    throw new Error(`${where}: the tag key must be at most 128 characters (no tag can have a longer key), got ${tagKey.length} characters: ${show(tagKey)}`);
  }
  if (typeof value !== 'string') {
    throw new Error(`${where}: the value of tag ${show(tagKey)} must be a string (it may be empty), got ${show(value)}`);
  }
  if (!isUnresolvedToken(value) && value.length > 256) {
    throw new Error(`${where}: the value of tag ${show(tagKey)} must be at most 256 characters (no tag can have a longer value), got ${value.length} characters`);
  }
  return { TagKey: tagKey, TagValue: value };
}

/** True when `json` is a plain object (not null, not an array). */
export function isObject(json: unknown): json is Record<string, unknown> {
  return typeof json === 'object' && json !== null && !Array.isArray(json);
}

/**
 * Return the one member of `json` that is set, out of `fields`; throw if none, several, or unknown
 * members are present. `what` names the API shape in messages.
 */
export function exactlyOneField(what: string, json: unknown, fields: readonly string[]): string {
  if (!isObject(json)) {
    throw new Error(`${what} must be an object with one of ${fields.join(', ')}, got ${show(json)}`);
  }
  const unknown = Object.keys(json).filter(k => !fields.includes(k));
  if (unknown.length > 0) {
    throw new Error(`${what} has unknown member(s) ${unknown.join(', ')}: allowed are ${fields.join(', ')}`);
  }
  const set = fields.filter(f => json[f] !== undefined && json[f] !== null);
  if (set.length !== 1) {
    throw new Error(`${what} must set exactly one of ${fields.join(', ')}, got ${set.length === 0 ? 'none' : set.join(' and ')}: split the condition into an AND or an OR instead`);
  }
  return set[0];
}

/** Throw unless `json` is a non-empty array; return it. */
export function nonEmptyArray(what: string, json: unknown): unknown[] {
  if (!Array.isArray(json) || json.length === 0) {
    throw new Error(`${what} must be a non-empty list, got ${show(json)}`);
  }
  return json;
}
