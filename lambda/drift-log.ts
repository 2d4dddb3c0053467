/**
 * How drift appears in the reconciler's log lines: where a profile is, and a drifted field's declared
 * and live values side by side.
 */
import type { ObservedSecurityProfile } from './observe';
import type { DesiredSecurityProfile } from './properties';
import type { StoredRecord } from './stored-record';
import { OWNER_TAG_KEY } from '../src/private/contract';

/** The attributes that say which profile a line is about. */
export function where(record: StoredRecord): Record<string, unknown> {
  return {
    securityProfileName: record.desired?.securityProfileName,
    instanceId: record.instanceId,
    securityProfileId: record.securityProfileId,
    securityProfileArn: record.securityProfileArn,
  };
}

/** The declared value of a drifted field (tags include the owner mark). */
export function declaredValue(field: string, desired: DesiredSecurityProfile): unknown {
  if (field === 'Tags') {
    return desired.ownerMark === undefined ? desired.tags : { ...desired.tags, [OWNER_TAG_KEY]: desired.ownerMark };
  }
  return (desired as unknown as Record<string, unknown>)[memberToKey(field)] ?? null;
}

/** The live value of a drifted field (`aws:` tags left out, as the plan ignores them). */
export function liveValue(field: string, observed: ObservedSecurityProfile): unknown {
  if (field === 'Tags') {
    return Object.fromEntries(Object.entries(observed.tags).filter(([k]) => !k.startsWith('aws:')));
  }
  return (observed as unknown as Record<string, unknown>)[memberToKey(field)] ?? null;
}

/** The planner names fields as Connect's members (`HierarchyRestrictedResources`); the states use camel case. */
function memberToKey(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}
