/**
 * Synth-time checks of security profile props. Pure: each returns the error messages (empty when the
 * value is fine) and skips unresolved tokens, which only Connect can judge at deploy time.
 *
 * Limits are Connect's, from `./limits` (shared with the handler); lengths are counted in Unicode code
 * points (`lengthInCodePoints`), not in JavaScript's UTF-16 units.
 */
import { RemovalPolicy, Token } from 'aws-cdk-lib';
import { lengthInCodePoints, OWNER_TAG_KEY, RESOURCE_TYPE } from './contract';
import { LIMITS } from './limits';
import type { GranularAccessControlConfiguration, TagAccessControl } from '../access-control';
import type { Application } from '../applications';
import type { SecurityProfileProps } from '../security-profile';

export { LIMITS };

/** Service Quotas code of "Security profiles per instance". */
export const PROFILES_PER_INSTANCE_QUOTA_CODE = 'L-F325A715';

/** Everything the props of a `SecurityProfile` can be checked for when it is constructed. */
export function checkSecurityProfileProps(props: SecurityProfileProps): string[] {
  return [
    ...checkName(props.securityProfileName),
    ...checkDescription(props.description),
    ...checkTags(props.tags, OWNER_TAG_KEY),
    ...checkTagAccessControl(props.tagAccessControl),
    ...checkCount('applications', props.applications?.length ?? 0, LIMITS.applications, 'merge or drop applications'),
    ...checkCount('allowedFlowModules', props.allowedFlowModules?.length ?? 0, LIMITS.flowModules, 'drop some flow modules'),
    ...checkApplications(props.applications ?? []),
    ...checkGranular(props.granularAccessControlConfiguration),
    ...checkHierarchyInstance(props),
    ...checkRemovalPolicy(props.removalPolicy),
  ];
}

/** What later calls (`addPermissions`, `Tags.of`) can change, checked at synth. */
export function checkLateProps(permissionCount: number, tags: Record<string, string>): string[] {
  return [
    ...(permissionCount > LIMITS.permissions
      ? [`\`permissions\` may hold at most ${LIMITS.permissions} permissions, got ${permissionCount}: split the profile in two (a user can hold up to 10 profiles)`]
      : []),
    ...checkTags(tags, OWNER_TAG_KEY),
  ];
}

export function checkRemovalPolicy(policy: RemovalPolicy | undefined): string[] {
  switch (policy ?? RemovalPolicy.DESTROY) {
    case RemovalPolicy.DESTROY:
    case RemovalPolicy.RETAIN:
    case RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE:
      return [];
    default:
      return [
        `\`removalPolicy\` must be RemovalPolicy.DESTROY or RemovalPolicy.RETAIN, got ${policy}: security profiles have no snapshots; with RemovalPolicies.of(scope), leave them out with \`excludeResourceTypes: ['${RESOURCE_TYPE}']\``,
      ];
  }
}

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

export function checkTagAccessControl(control: TagAccessControl | undefined): string[] {
  if (control === undefined) return [];
  const errors: string[] = [];
  const tags = control.allowedAccessControlTags;
  const keys = Token.isUnresolved(tags) ? undefined : Object.keys(tags);
  if (keys && keys.length === 0) {
    errors.push('`tagAccessControl` has no `allowedAccessControlTags`, so it would restrict nothing: give the tags a resource must carry, or leave `tagAccessControl` out');
  }
  if (keys && keys.length > LIMITS.accessControlTags) {
    errors.push(`\`tagAccessControl\` may hold at most ${LIMITS.accessControlTags} \`allowedAccessControlTags\`, got ${keys.length} (${keys.join(', ')}): a resource must carry all of them, so keep the ones that matter`);
  }
  for (const key of keys ?? []) {
    if (Token.isUnresolved(key)) continue;
    if (lengthInCodePoints(key) < 1 || lengthInCodePoints(key) > LIMITS.accessControlTagKeyMaxLength) {
      errors.push(`\`tagAccessControl\` tag key '${truncate(key)}' must be 1 to ${LIMITS.accessControlTagKeyMaxLength} characters: shorten it`);
    }
    const value = tags[key];
    if (!Token.isUnresolved(value) && lengthInCodePoints(value) > LIMITS.accessControlTagValueMaxLength) {
      errors.push(`\`tagAccessControl\` value of tag '${key}' must be at most ${LIMITS.accessControlTagValueMaxLength} characters, got ${lengthInCodePoints(value)}: shorten it`);
    }
  }
  const resources = control.tagRestrictedResources.map((r) => r.name);
  if (resources.length === 0) {
    errors.push('`tagAccessControl` has no `tagRestrictedResources`, so its tags would restrict nothing: add the resources to restrict, for example [TagRestrictedResource.USER]');
  }
  if (resources.length > LIMITS.tagRestrictedResources) {
    errors.push(`\`tagAccessControl\` may hold at most ${LIMITS.tagRestrictedResources} \`tagRestrictedResources\`, got ${resources.length}: remove some`);
  }
  const dups = duplicates(resources);
  if (dups.length > 0) {
    errors.push(`\`tagAccessControl\` lists tag-restricted resource ${dups.map((d) => `'${d}'`).join(', ')} more than once: remove the duplicates`);
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

function checkApplications(applications: Application[]): string[] {
  const errors: string[] = [];
  for (const app of applications) {
    const n = app.applicationPermissions.length;
    if (!Token.isUnresolved(app.applicationPermissions) && (n < 1 || n > LIMITS.applicationPermissions)) {
      errors.push(`\`applications\` entry '${app.namespace}' must have 1 to ${LIMITS.applicationPermissions} \`applicationPermissions\`, got ${n}: ${n === 0 ? "add 'ACCESS' for a third-party app" : 'split the application'}`);
    }
  }
  const dups = duplicates(applications.map((a) => a.namespace));
  if (dups.length > 0) {
    errors.push(`\`applications\` lists namespace ${dups.map((d) => `'${d}'`).join(', ')} more than once: merge their permissions into one entry`);
  }
  return errors;
}

function checkGranular(config: GranularAccessControlConfiguration | undefined): string[] {
  const values = config?.dataTableAccessControlConfiguration?.primaryAttributeAccessControlConfiguration?.primaryAttributeValues ?? [];
  const errors = checkCount('primaryAttributeValues', values.length, LIMITS.primaryAttributeValues, 'drop some rules');
  for (const v of values) {
    if (!Token.isUnresolved(v.values) && v.values.length > LIMITS.primaryAttributeValueValues) {
      errors.push(`\`primaryAttributeValues\` entry '${v.attributeName}' may hold at most ${LIMITS.primaryAttributeValueValues} values, got ${v.values.length}: drop some`);
    }
  }
  return errors;
}

function checkHierarchyInstance(props: SecurityProfileProps): string[] {
  const group = props.hierarchyAccessControl?.group;
  if (!group || Token.isUnresolved(group.instanceArn) || Token.isUnresolved(props.instance.instanceArn)) return [];
  if (group.instanceArn !== props.instance.instanceArn) {
    return [`\`hierarchyAccessControl\` names a group of instance '${group.instanceArn}', but the profile belongs to '${props.instance.instanceArn}': pick a group of the profile's instance`];
  }
  return [];
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
