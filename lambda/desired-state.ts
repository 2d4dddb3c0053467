/**
 * Where the handler records the desired state for drift reconciliation.
 *
 * Only the interface lives here; the drift reconciliation issue implements it on DynamoDB. The handler
 * writes a record on Create and Update when `DriftMode` is not `DISABLED`, removes it when drift is
 * turned off, and removes it on Delete.
 */
import type { DesiredSecurityProfile } from './desired';
import type { DriftModeValue } from '../src/private/contract';

/** One managed security profile, as the reconciler needs it. */
export interface DesiredStateRecord {
  /** The key: the security profile ARN (the physical resource id). */
  readonly securityProfileArn: string;
  /** The security profile id. */
  readonly securityProfileId: string;
  /** The instance id. */
  readonly instanceId: string;
  /** The owner mark on the profile (value of `OWNER_TAG_KEY`). */
  readonly ownerMark: string;
  /** The stack that manages the profile. */
  readonly stackId: string;
  /** The logical id of the resource in that stack. */
  readonly logicalResourceId: string;
  /** `REMEDIATE` or `DETECT_ONLY`. */
  readonly driftMode: DriftModeValue;
  /** The desired state (`plan`'s first argument). */
  readonly desired: DesiredSecurityProfile;
  /** When the handler wrote the record (epoch ms). */
  readonly updatedAt: number;
}

/** Storage of desired-state records, keyed by security profile ARN. */
export interface DesiredStateStore {
  /** Create or replace the record of `record.securityProfileArn`. */
  put(record: DesiredStateRecord): Promise<void>;
  /** Remove the record of a security profile ARN (no error when absent). */
  delete(securityProfileArn: string): Promise<void>;
}
