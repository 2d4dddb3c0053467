/**
 * How drift appears in the reconciler's log lines: where a profile is, and a drifted field's declared
 * and live values side by side.
 */
import type { SecurityProfileState } from './profile-state';
import type { StoredRecord } from './stored-record';

/** The attributes that say which profile a line is about. */
export function where(record: StoredRecord): Record<string, unknown> {
  return {
    securityProfileName: record.desired?.SecurityProfileName,
    instanceId: record.instanceId,
    securityProfileId: record.securityProfileId,
    securityProfileArn: record.securityProfileArn,
  };
}

/** The declared value of a drifted field (tags include the owner mark). */
export function declaredValue(field: keyof SecurityProfileState, desired: SecurityProfileState): unknown {
  return desired[field] ?? null;
}

/** The live value of a drifted field (`aws:` tags left out, as the plan ignores them). */
export function liveValue(field: keyof SecurityProfileState, observed: SecurityProfileState): unknown {
  if (field === 'Tags') {
    return Object.fromEntries(Object.entries(observed.Tags).filter(([k]) => !k.startsWith('aws:')));
  }
  return observed[field] ?? null;
}
