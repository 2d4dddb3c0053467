/**
 * Connect API calls for a no-drift check of one profile, and for a drift in each field, against the
 * minimum the API allows.
 *
 * The profile sets every field it can drift in (bench/one-profile-app.ts). It is deployed through the
 * local CloudFormation player (the real bundled handler from cdk.out); then each drift is made with the
 * SDK, as the console would, and one sweep of the real bundled reconciler checks and repairs it. The
 * emulator's request log counts the calls. Calls of the access-scope report (SearchUsers, a separate
 * feature of the sweep) are counted apart.
 *
 * The minimum: reading every managed field takes DescribeSecurityProfile (description, tags, both
 * access-control configurations) plus one page of ListSecurityProfilePermissions and one of
 * ListSecurityProfileApplications (up to 1,000 entries a page) = 3 reads; repairing one field takes
 * one write: UpdateSecurityProfile, or TagResource / UntagResource for tags.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecurityProfileCommand,
  type ConnectClient,
} from '@aws-sdk/client-connect';
import { ONE_PROFILE, ONE_PROFILE_STACK } from './one-profile-app';
import { startLocalAws } from '../local/aws';
import { readAssembly } from '../local/cloudformation/assembly';
import { CloudFormationPlayer, type DeployedResource } from '../local/cloudformation/player';
import { differencesFromDeclared, readLiveProfile } from '../local/live-profile';
import { findReconciler, runSweepToCompletion } from '../local/scheduled-sweep';
import { synthesizeInFreshProcess } from '../local/synth';
import { HANDLER_ENTRY, RESOURCE_TYPE } from '../src/private/contract';

/** The reads a check of one profile needs at least (see the module doc). */
export const MINIMUM_READS = 3;

/** Calls counted for one check. */
export interface CheckCalls {
  /** Security-profile calls (the check and its repair). */
  readonly calls: number;
  readonly minimum: number;
  /** By operation. */
  readonly byOperation: Record<string, number>;
  /** SearchUsers calls of the access-scope report, not part of the check. */
  readonly accessScopeCalls: number;
  /** Requests the emulator throttled or failed (none expected with throttling off). */
  readonly failedRequests: number;
}

/** One drift scenario's result. */
export interface DriftCalls extends CheckCalls {
  readonly field: string;
  readonly change: string;
  /** The live profile matched the template after the sweep. */
  readonly repaired: boolean;
  /** What the sweep reported as drifted. */
  readonly reportedFields: string[];
}

/** The result. */
export interface CallsResult {
  /** A sweep's check of the profile when nothing drifted. */
  readonly noDriftSweep: CheckCalls;
  /** A CloudFormation Update whose properties did not change (deploy-time check). */
  readonly noDriftUpdate: CheckCalls;
  readonly drifts: DriftCalls[];
}

interface Scenario {
  readonly field: string;
  readonly change: string;
  readonly writes: number;
  apply(connect: ConnectClient, ids: { instanceId: string; profileId: string; profileArn: string; otherGroupId: string }): Promise<unknown>;
}

const SCENARIOS: Scenario[] = [
  {
    field: 'Description',
    change: 'changed',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({ InstanceId: i.instanceId, SecurityProfileId: i.profileId, Description: 'edited in the console' })),
  },
  {
    field: 'Permissions',
    change: 'one added',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({
      InstanceId: i.instanceId, SecurityProfileId: i.profileId, Permissions: [...ONE_PROFILE.permissions, 'Users.Edit'],
    })),
  },
  {
    field: 'Permissions',
    change: 'one removed',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({
      InstanceId: i.instanceId, SecurityProfileId: i.profileId, Permissions: ONE_PROFILE.permissions.slice(1),
    })),
  },
  {
    field: 'Tags',
    change: 'one added',
    writes: 1,
    apply: (c, i) => c.send(new TagResourceCommand({ resourceArn: i.profileArn, tags: { addedInConsole: 'yes' } })),
  },
  {
    field: 'Tags',
    change: 'one removed',
    writes: 1,
    apply: (c, i) => c.send(new UntagResourceCommand({ resourceArn: i.profileArn, tagKeys: ['costCenter'] })),
  },
  {
    field: 'Tags',
    change: 'one value changed',
    writes: 1,
    apply: (c, i) => c.send(new TagResourceCommand({ resourceArn: i.profileArn, tags: { team: 'someone-else' } })),
  },
  {
    field: 'AllowedAccessControlTags',
    change: 'value changed',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({
      InstanceId: i.instanceId, SecurityProfileId: i.profileId, AllowedAccessControlTags: { Tier: '2' },
    })),
  },
  {
    field: 'TagRestrictedResources',
    change: 'Queue added',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({
      InstanceId: i.instanceId, SecurityProfileId: i.profileId, TagRestrictedResources: ['User', 'Queue'],
    })),
  },
  {
    field: 'AllowedAccessControlHierarchyGroupId',
    change: 'another group',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({
      InstanceId: i.instanceId, SecurityProfileId: i.profileId, AllowedAccessControlHierarchyGroupId: i.otherGroupId,
    })),
  },
  {
    field: 'HierarchyRestrictedResources',
    change: 'restriction removed (both hierarchy fields)',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({
      InstanceId: i.instanceId, SecurityProfileId: i.profileId, HierarchyRestrictedResources: [], AllowedAccessControlHierarchyGroupId: '',
    })),
  },
  {
    field: 'Applications',
    change: 'removed',
    writes: 1,
    apply: (c, i) => c.send(new UpdateSecurityProfileCommand({ InstanceId: i.instanceId, SecurityProfileId: i.profileId, Applications: [] })),
  },
];

/**
 * Deploy the one-profile stack locally and count the calls of each check.
 *
 * @param smoke run the no-drift checks and two drift scenarios only
 */
export async function measureCalls(smoke: boolean, log: (line: string) => void): Promise<CallsResult> {
  const aws = await startLocalAws({ throttling: 'off' });
  const workdir = mkdtempSync(join(tmpdir(), 'connect-sp-bench-calls-'));
  const player = new CloudFormationPlayer({
    services: { connect: aws.connect, dynamodb: aws.dynamodb, region: aws.region, accountId: aws.accountId, partition: 'aws' },
    functionEnvironment: aws.functionEnvironment,
  });
  try {
    const { instanceId, instanceArn } = aws.emulator.createInstance({ alias: 'bench-calls' });
    const group = aws.emulator.seedHierarchyGroup(instanceId, 'Bench-Group');
    const otherGroup = aws.emulator.seedHierarchyGroup(instanceId, 'Bench-Other-Group');
    const outdir = join(workdir, 'cdk.out');
    await synthesizeInFreshProcess({
      entry: join(__dirname, 'one-profile-app.ts'),
      outdir,
      context: { instanceArn, groupId: group.id, drift: 'remediate' },
    });
    const stack = readAssembly(outdir).find((s) => s.stackName === ONE_PROFILE_STACK)!;
    const deployed = await player.deploy(stack);
    if (deployed.status !== 'CREATE_COMPLETE') {
      throw new Error(`bench: deploying ${ONE_PROFILE_STACK} failed: ${deployed.operations.filter((o) => !o.ok).map((o) => `${o.logicalId}: ${o.reason}`).join('; ')}`);
    }
    const resources = player.resources(ONE_PROFILE_STACK);
    const profile = resources.find((r) => r.type === RESOURCE_TYPE)!;
    const ids = {
      instanceId,
      profileId: String(profile.identity.attributes.SecurityProfileId),
      profileArn: String(profile.identity.attributes.SecurityProfileArn),
      otherGroupId: otherGroup.id,
    };
    const reconciler = findReconciler(player, ONE_PROFILE_STACK);
    if (!reconciler) {
      throw new Error(`bench: ${ONE_PROFILE_STACK} has no reconciler (handler ${HANDLER_ENTRY.reconcile})`);
    }

    const count = (since: number, writes: number): CheckCalls => {
      const entries = aws.emulator.requestLog.slice(since);
      const byOperation: Record<string, number> = {};
      let accessScopeCalls = 0;
      for (const e of entries) {
        if (e.operation === 'SearchUsers') {
          accessScopeCalls++;
        } else {
          byOperation[e.operation] = (byOperation[e.operation] ?? 0) + 1;
        }
      }
      return {
        calls: Object.values(byOperation).reduce((a, b) => a + b, 0),
        minimum: MINIMUM_READS + writes,
        byOperation,
        accessScopeCalls,
        failedRequests: entries.filter((e) => e.status !== 200).length,
      };
    };
    const sweepOnce = async () => {
      const since = aws.emulator.requestLog.length;
      const run = await runSweepToCompletion(player, ONE_PROFILE_STACK, reconciler);
      if (!run.complete || run.invocations.some((i) => !i.ok)) {
        throw new Error(`bench: the sweep failed: ${run.invocations.map((i) => i.error?.errorMessage).filter(Boolean).join('; ')}`);
      }
      return { since, run };
    };

    // no drift: one sweep, then one CloudFormation Update with unchanged properties
    const first = await sweepOnce();
    const noDriftSweep = count(first.since, 0);
    log(`no-drift sweep check: ${noDriftSweep.calls} calls (${fmt(noDriftSweep.byOperation)}), minimum ${noDriftSweep.minimum}`);
    const handlerFn = resources.find((r) => r.type === 'AWS::Lambda::Function' && r.properties.Handler === HANDLER_ENTRY.onEvent)!;
    const sinceUpdate = aws.emulator.requestLog.length;
    const update = await player.invoke(ONE_PROFILE_STACK, handlerFn.logicalId, updateEvent(player, profile));
    if (!update.ok) {
      throw new Error(`bench: the no-op Update failed: ${update.error?.errorMessage}`);
    }
    const noDriftUpdate = count(sinceUpdate, 0);
    log(`no-drift deploy-time Update: ${noDriftUpdate.calls} calls (${fmt(noDriftUpdate.byOperation)}), minimum ${noDriftUpdate.minimum}`);

    const drifts: DriftCalls[] = [];
    for (const scenario of smoke ? SCENARIOS.slice(0, 2) : SCENARIOS) {
      await scenario.apply(aws.connect, ids);
      const { since, run } = await sweepOnce();
      const counted = count(since, scenario.writes);
      const live = await readLiveProfile(aws.connect, instanceId, ids.profileId);
      const diffs = differencesFromDeclared(profile.properties, live);
      const reportedFields = run.outcomes.flatMap((o) => o.driftFields);
      drifts.push({ ...counted, field: scenario.field, change: scenario.change, repaired: diffs.length === 0, reportedFields });
      log(`drift ${scenario.field} (${scenario.change}): ${counted.calls} calls (${fmt(counted.byOperation)}), minimum ${counted.minimum}, ${diffs.length === 0 ? 'repaired' : `NOT repaired: ${diffs.join('; ')}`}`);
      if (diffs.length > 0) {
        // put it back so the next scenario starts from the declared state
        await player.invoke(ONE_PROFILE_STACK, handlerFn.logicalId, updateEvent(player, profile));
      }
    }
    return { noDriftSweep, noDriftUpdate, drifts };
  } finally {
    await player.stop();
    await aws.stop();
    rmSync(workdir, { recursive: true, force: true });
  }
}

/** The Update event CloudFormation sends when a stack update re-sends a resource with the same properties. */
function updateEvent(player: CloudFormationPlayer, profile: DeployedResource): unknown {
  return {
    RequestType: 'Update',
    ServiceToken: profile.properties.ServiceToken,
    ResponseURL: 'https://cloudformation-custom-resource-response-local.invalid/not-used',
    StackId: player.stackId(ONE_PROFILE_STACK),
    RequestId: `bench-${Date.now()}`,
    LogicalResourceId: profile.logicalId,
    ResourceType: profile.type,
    PhysicalResourceId: profile.identity.physicalId,
    ResourceProperties: profile.properties,
    OldResourceProperties: profile.properties,
  };
}

function fmt(byOperation: Record<string, number>): string {
  return Object.entries(byOperation).map(([op, n]) => `${n} ${op}`).join(', ') || 'none';
}
