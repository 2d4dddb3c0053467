/**
 * Out-of-band edits ("someone changed it in the Connect admin website") of the profile every drift test
 * declares (test/support/profile-properties.ts), each making one managed field drift.
 */
import {
  ConnectClient,
  TagResourceCommand,
  UpdateSecurityProfileCommand,
  UpdateSecurityProfileCommandInput,
} from '@aws-sdk/client-connect';
import type { StoredRecord } from '../../lambda/state-table';

/** Send an UpdateSecurityProfile as a console user would. */
export async function consoleUpdate(
  client: ConnectClient,
  record: StoredRecord,
  fields: Omit<UpdateSecurityProfileCommandInput, 'InstanceId' | 'SecurityProfileId'>,
): Promise<void> {
  await client.send(new UpdateSecurityProfileCommand({ InstanceId: record.instanceId, SecurityProfileId: record.securityProfileId, ...fields }));
}

/** One out-of-band edit and the Connect member it makes drift. */
export interface DriftCase {
  /** The member `plan()` reports. */
  readonly field: string;
  /** What the edit does, for the test name. */
  readonly edit: string;
  /** Apply the edit. `otherGroupId` is a second hierarchy group. */
  apply(client: ConnectClient, record: StoredRecord, otherGroupId: string): Promise<void>;
}

/** Drift in each managed field, the two hierarchy fields first. */
export const DRIFT_CASES: readonly DriftCase[] = [
  {
    field: 'AllowedAccessControlHierarchyGroupId',
    edit: 'moved to another hierarchy group',
    apply: (c, r, other) => consoleUpdate(c, r, { AllowedAccessControlHierarchyGroupId: other }),
  },
  {
    field: 'HierarchyRestrictedResources',
    edit: 'hierarchy restriction removed',
    apply: (c, r) => consoleUpdate(c, r, { HierarchyRestrictedResources: [] }),
  },
  {
    field: 'Permissions',
    edit: 'a permission added',
    apply: (c, r) => consoleUpdate(c, r, { Permissions: ['BasicAgentAccess', 'OutboundCallAccess', 'Users.View', 'Users.Edit'] }),
  },
  {
    field: 'Description',
    edit: 'description rewritten',
    apply: (c, r) => consoleUpdate(c, r, { Description: 'edited in the admin website' }),
  },
  {
    field: 'AllowedAccessControlTags',
    edit: 'access control tags cleared',
    apply: (c, r) => consoleUpdate(c, r, { AllowedAccessControlTags: {} }),
  },
  {
    field: 'TagRestrictedResources',
    edit: 'tag-restricted resources cleared',
    apply: (c, r) => consoleUpdate(c, r, { TagRestrictedResources: [] }),
  },
  {
    field: 'Applications',
    edit: 'applications cleared',
    apply: (c, r) => consoleUpdate(c, r, { Applications: [] }),
  },
  {
    field: 'AllowedFlowModules',
    edit: 'flow modules cleared',
    apply: (c, r) => consoleUpdate(c, r, { AllowedFlowModules: [] }),
  },
  {
    field: 'GranularAccessControlConfiguration',
    edit: 'granular access control widened',
    apply: (c, r) => consoleUpdate(c, r, {
      GranularAccessControlConfiguration: {
        DataTableAccessControlConfiguration: {
          PrimaryAttributeAccessControlConfiguration: {
            PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu', 'us'] }],
          },
        },
      },
    }),
  },
  {
    field: 'AllowedAIAgents',
    edit: 'AI agents cleared',
    apply: (c, r) => consoleUpdate(c, r, { AllowedAIAgents: [] }),
  },
  {
    field: 'Tags',
    edit: 'a tag added',
    apply: async (c, r) => { await c.send(new TagResourceCommand({ resourceArn: r.securityProfileArn, tags: { extra: 'console' } })); },
  },
];
