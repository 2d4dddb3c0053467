/**
 * Synth-time checks of security profile props. Pure: each returns the error messages (empty when the
 * value is fine) and skips unresolved tokens, which only Connect can judge at deploy time.
 *
 * Limits are Connect's, from `./limits` (shared with the handler); lengths are counted in Unicode code
 * points (`lengthInCodePoints`), not in JavaScript's UTF-16 units.
 */
import { Token } from 'aws-cdk-lib';
import { lengthInCodePoints } from './contract';
import { LIMITS } from './limits';

export { LIMITS };

/** Service Quotas code of "Security profiles per instance". */
export const PROFILES_PER_INSTANCE_QUOTA_CODE = 'L-F325A715';

export function checkName(name: string): string[] {
  if (Token.isUnresolved(name)) return [];
  const length = lengthInCodePoints(name);
  if (length < 1 || length > LIMITS.nameMaxLength) {
    return [`\`securityProfileName\` must be 1 to ${LIMITS.nameMaxLength} characters, got ${length} ('${truncate(name)}'): shorten the name`];
  }
  if (!LIMITS.namePattern.test(name)) {
    return [`\`securityProfileName\` may hold only letters, digits, spaces, '_', '@' and '-', got '${name}': remove the other characters`];
  }
  return [];
}

export function checkDescription(description: string | undefined): string[] {
  if (description === undefined || Token.isUnresolved(description)) return [];
  const length = lengthInCodePoints(description);
  if (length > LIMITS.descriptionMaxLength) {
    return [`\`description\` must be at most ${LIMITS.descriptionMaxLength} characters, got ${length}: shorten it`];
  }
  return [];
}

export function checkAccessControlTags(tags: Record<string, string> | undefined, tagRestrictedResources: string[] | undefined): string[] {
  const errors: string[] = [];
  const keys = tags === undefined || Token.isUnresolved(tags) ? undefined : Object.keys(tags);
  const hasTags = tags !== undefined && (keys === undefined || keys.length > 0);
  const hasResources = tagRestrictedResources !== undefined
    && (Token.isUnresolved(tagRestrictedResources) || tagRestrictedResources.length > 0);
  if (keys && keys.length > LIMITS.accessControlTags) {
    errors.push(`\`allowedAccessControlTags\` may hold at most ${LIMITS.accessControlTags} tags, got ${keys.length} (${keys.join(', ')}): a resource must carry all of them, so keep the ones that matter`);
  }
  for (const key of keys ?? []) {
    if (Token.isUnresolved(key)) continue;
    if (lengthInCodePoints(key) < 1 || lengthInCodePoints(key) > LIMITS.accessControlTagKeyMaxLength) {
      errors.push(`\`allowedAccessControlTags\` key '${truncate(key)}' must be 1 to ${LIMITS.accessControlTagKeyMaxLength} characters: shorten it`);
    }
    const value = tags![key];
    if (!Token.isUnresolved(value) && lengthInCodePoints(value) > LIMITS.accessControlTagValueMaxLength) {
      errors.push(`\`allowedAccessControlTags\` value of '${key}' must be at most ${LIMITS.accessControlTagValueMaxLength} characters, got ${lengthInCodePoints(value)}: shorten it`);
    }
  }
  if (hasTags && !hasResources) {
    errors.push(`\`allowedAccessControlTags\` (${(keys ?? ['<token>']).join(', ')}) restricts nothing without \`tagRestrictedResources\`: add the resources to restrict, for example [TagRestrictedResource.USER]`);
  }
  if (hasResources && !hasTags) {
    errors.push(`\`tagRestrictedResources\` (${Token.isUnresolved(tagRestrictedResources) ? '<token>' : tagRestrictedResources!.join(', ')}) needs \`allowedAccessControlTags\`: add the tags a resource must carry to be accessible`);
  }
  if (tagRestrictedResources && !Token.isUnresolved(tagRestrictedResources)) {
    if (tagRestrictedResources.length > LIMITS.tagRestrictedResources) {
      errors.push(`\`tagRestrictedResources\` may hold at most ${LIMITS.tagRestrictedResources} resources, got ${tagRestrictedResources.length}: remove some`);
    }
    const dups = duplicates(tagRestrictedResources);
    if (dups.length > 0) {
      errors.push(`\`tagRestrictedResources\` lists ${dups.map((d) => `'${d}'`).join(', ')} more than once: remove the duplicates`);
    }
  }
  return errors;
}

/** Tags the user declared (the owner tag is added by the handler and counts against the limit). */
export function checkTags(tags: Record<string, string> | undefined, ownerTagKey: string): string[] {
  if (tags === undefined || Token.isUnresolved(tags)) return [];
  const errors: string[] = [];
  const keys = Object.keys(tags);
  const max = LIMITS.tags - 1;
  if (keys.length > max) {
    errors.push(`\`tags\` may hold at most ${max} tags, got ${keys.length}: Connect allows ${LIMITS.tags} per resource and the library's ownership tag '${ownerTagKey}' takes one; remove ${keys.length - max}`);
  }
  for (const key of keys) {
    if (Token.isUnresolved(key)) continue;
    if (key === ownerTagKey) {
      errors.push(`\`tags\` must not set '${ownerTagKey}': the library manages that tag to recognise its own profiles; use another key`);
    } else if (key.startsWith('aws:')) {
      errors.push(`\`tags\` key '${key}' uses the reserved 'aws:' prefix: choose another key`);
    } else if (lengthInCodePoints(key) > LIMITS.tagKeyMaxLength) {
      errors.push(`\`tags\` key '${truncate(key)}' must be at most ${LIMITS.tagKeyMaxLength} characters, got ${lengthInCodePoints(key)}: shorten it`);
    }
    const value = tags[key];
    if (!Token.isUnresolved(value) && lengthInCodePoints(value) > LIMITS.tagValueMaxLength) {
      errors.push(`\`tags\` value of '${key}' must be at most ${LIMITS.tagValueMaxLength} characters, got ${lengthInCodePoints(value)}: shorten it`);
    }
  }
  return errors;
}

export function checkCount(prop: string, count: number, max: number, fix: string): string[] {
  return count > max ? [`\`${prop}\` may hold at most ${max} entries, got ${count}: ${fix}`] : [];
}

export function duplicates(values: string[]): string[] {
  const seen = new Set<string>();
  const dups = new Set<string>();
  for (const v of values) {
    if (Token.isUnresolved(v)) continue;
    if (seen.has(v)) dups.add(v);
    seen.add(v);
  }
  return [...dups];
}

function truncate(s: string): string {
  const points = Array.from(s);
  return points.length > 40 ? `${points.slice(0, 40).join('')}...` : s;
}

const INSTANCE_ARN = /^arn:[a-z0-9-]+:connect:[a-z0-9-]+:\d{12}:instance\/([A-Za-z0-9-]{1,100})$/;

/** Returns the instance id of a literal instance ARN; throws a message for users when it is not one. */
export function parseInstanceArn(instanceArn: string, prop = 'instanceArn'): string {
  const match = INSTANCE_ARN.exec(instanceArn);
  if (!match) {
    throw new Error(
      `\`${prop}\` must look like arn:<partition>:connect:<region>:<account>:instance/<instanceId>, got '${instanceArn}': pass the instance's full ARN (see the Connect console's "Instance ARN") or use Instance.fromInstanceId()`,
    );
  }
  return match[1];
}
