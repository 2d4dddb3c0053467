/**
 * One run's world: two Connect instances with hierarchy groups, the default profiles and a profile
 * someone else owns in each, plus the out-of-band edits a colleague makes in the admin website.
 */
import {
  ConnectClient,
  CreateSecurityProfileCommand,
  DeleteSecurityProfileCommand,
  ListSecurityProfilePermissionsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecurityProfileCommand,
} from '@aws-sdk/client-connect';
import { FOREIGN_NAME, OutOfBandEdit, RunWorld, TAG_POOL } from './lifecycle';
import type { ConnectEmulator } from '../../local/connect-emulator';
import { readLiveProfile } from '../../local/live-profile';

/** A profile that is not ours: it must survive every sequence unchanged. */
export interface ForeignProfile {
  readonly instanceId: string;
  readonly id: string;
  readonly name: string;
  /** Permissions at the start, when the harness checks them; undefined for the defaults (presence only). */
  readonly permissions?: string[];
}

/** The world plus what the invariants need to know about it. */
export interface SeededWorld extends RunWorld {
  readonly notOurs: readonly ForeignProfile[];
}

/** Create the world of one run (faults must be off). */
export async function seedWorld(emulator: ConnectEmulator, client: ConnectClient, run: number): Promise<SeededWorld> {
  const instances = [];
  const notOurs: ForeignProfile[] = [];
  for (let i = 0; i < 2; i++) {
    const instance = emulator.createInstance({ alias: `faults-${run}-${i}` });
    const root = emulator.seedHierarchyGroup(instance.instanceId, 'BPO-A');
    const child = emulator.seedHierarchyGroup(instance.instanceId, 'BPO-A-Team-1', root.id);
    for (const [name, id] of Object.entries(instance.defaultSecurityProfileIds)) {
      notOurs.push({ instanceId: instance.instanceId, id, name });
    }
    // someone else's profile: in instance 1 it has a name the generator also declares
    const foreignName = i === 1 ? FOREIGN_NAME : 'Quality-Reviewers';
    const permissions = ['AccessMetrics', 'Users.View'];
    const created = await client.send(new CreateSecurityProfileCommand({
      InstanceId: instance.instanceId, SecurityProfileName: foreignName, Permissions: permissions, Tags: { team: 'someone-else' },
    }));
    notOurs.push({ instanceId: instance.instanceId, id: created.SecurityProfileId!, name: foreignName, permissions });
    instances.push({ instanceId: instance.instanceId, instanceArn: instance.instanceArn, groupIds: [root.id, child.id] });
  }
  return { instances, notOurs };
}

/** The profile id inside a security profile ARN (`.../security-profile/<id>`). */
export function profileIdOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The instance id inside a security profile ARN (`.../instance/<id>/security-profile/<id>`). */
export function instanceIdOf(arn: string): string {
  const m = /:instance\/([^/]+)\//.exec(arn);
  return m ? m[1] : '';
}

/**
 * Apply an out-of-band edit to a profile (faults must be off). Returns false when the profile is gone.
 */
export async function editOutOfBand(client: ConnectClient, arn: string, edit: OutOfBandEdit): Promise<boolean> {
  const ids = { InstanceId: instanceIdOf(arn), SecurityProfileId: profileIdOf(arn) };
  let live;
  try {
    live = await readLiveProfile(client, ids.InstanceId, ids.SecurityProfileId);
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException') return false;
    throw e;
  }
  switch (edit) {
    case 'description':
      await client.send(new UpdateSecurityProfileCommand({ ...ids, Description: 'changed in the admin website' }));
      break;
    case 'addPermission': {
      const current = (await client.send(new ListSecurityProfilePermissionsCommand(ids))).Permissions ?? [];
      await client.send(new UpdateSecurityProfileCommand({ ...ids, Permissions: [...new Set([...current, 'SecurityProfiles.Edit'])] }));
      break;
    }
    case 'removePermissions':
      await client.send(new UpdateSecurityProfileCommand({ ...ids, Permissions: [] }));
      break;
    case 'removeHierarchy':
      await client.send(new UpdateSecurityProfileCommand({ ...ids, HierarchyRestrictedResources: [], AllowedAccessControlHierarchyGroupId: '' }));
      break;
    case 'addTag':
      await client.send(new TagResourceCommand({ resourceArn: live.Arn, tags: { addedBy: 'console', team: 'changed' } }));
      break;
    case 'removeTags': {
      const keys = Object.keys(live.Tags).filter((k) => k in TAG_POOL);
      if (keys.length > 0) await client.send(new UntagResourceCommand({ resourceArn: live.Arn, tagKeys: keys }));
      break;
    }
    case 'addAccessTag':
      await client.send(new UpdateSecurityProfileCommand({ ...ids, AllowedAccessControlTags: { Department: 'Everyone' }, TagRestrictedResources: ['User'] }));
      break;
  }
  return true;
}

/**
 * Delete a profile out of band (faults must be off). Returns false when it was already gone, or when
 * Connect refuses because users still hold it (the colleague gives up).
 */
export async function deleteOutOfBand(client: ConnectClient, arn: string): Promise<boolean> {
  try {
    await client.send(new DeleteSecurityProfileCommand({ InstanceId: instanceIdOf(arn), SecurityProfileId: profileIdOf(arn) }));
    return true;
  } catch (e) {
    if ((e as Error).name === 'ResourceNotFoundException' || (e as Error).name === 'ResourceInUseException') return false;
    throw e;
  }
}
