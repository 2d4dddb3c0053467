/**
 * The invariants every lifecycle sequence must end with:
 * - the live profile equals the declared state (or the last successfully deployed one after a rollback),
 *   field by field, carrying this resource's owner mark;
 * - no duplicate and no orphan profile: every profile in the instances that is not someone else's is
 *   the declared one, or one CloudFormation asked us to keep (`RemovalPolicy: Retain`), or one a failed
 *   cleanup-phase delete left behind (CloudFormation ignores those failures: recorded, not ours to fix);
 * - no profile deleted or changed that was not ours.
 */
import { ConnectClient, ListSecurityProfilePermissionsCommand } from '@aws-sdk/client-connect';
import type { SimulatedStack } from './cloudformation';
import { instanceIdOf, profileIdOf, SeededWorld } from './world';
import { ownerMark } from '../../lambda/owner';
import type { ConnectEmulator } from '../../local/connect-emulator';
import { differencesFromDeclared, readLiveProfile } from '../../local/live-profile';
import { OWNER_TAG_KEY } from '../../src/private/contract';

/** The outcome of `checkInvariants`. */
export interface InvariantReport {
  /** Broken invariants. */
  readonly violations: string[];
  /**
   * Profiles made by a Create or a replacing Update that CloudFormation then recorded as FAILED (a lost
   * response followed by a failed retry, or a Lambda killed after CreateSecurityProfile): CloudFormation
   * never learns their id, and under the Provider framework its rollback never reaches the handler for
   * them. Each carries the owner mark of the failed event's stack and that event's name and instance.
   * The next deployment that declares them must adopt them (lifecycle.test.ts checks it).
   */
  readonly failedCreateOrphans: FailedAttemptProfile[];
}

/** A profile a failed Create or replacing Update made, and the properties that event asked for. */
export interface FailedAttemptProfile {
  readonly arn: string;
  readonly name: string;
  readonly ownerMark?: string;
  readonly properties: Record<string, unknown>;
}

/** Check the invariants; returns the violations (empty when all hold). */
export async function checkInvariants(
  emulator: ConnectEmulator, client: ConnectClient, world: SeededWorld, stack: SimulatedStack, logicalId: string,
): Promise<string[]> {
  const report = await checkInvariantsReport(emulator, client, world, stack, logicalId);
  return [...report.violations, ...report.failedCreateOrphans.map((o) => `orphan of a failed create: "${o.name}" (${o.arn}), owner tag ${o.ownerMark}`)];
}

/** Check the invariants, telling orphans of failed creates apart from every other violation. */
export async function checkInvariantsReport(
  emulator: ConnectEmulator, client: ConnectClient, world: SeededWorld, stack: SimulatedStack, logicalId: string,
): Promise<InvariantReport> {
  const violations: string[] = [];
  const failedCreateOrphans: FailedAttemptProfile[] = [];
  const failedWrites = stack.failedWrites.map((f) => ({
    mark: ownerMark(f.stackId, logicalId),
    name: f.properties.SecurityProfileName,
    instanceArn: f.properties.InstanceArn as string,
    properties: f.properties,
  }));
  const notOursIds = new Set(world.notOurs.map((p) => p.id));

  // someone else's profiles: present and unchanged
  for (const foreign of world.notOurs) {
    const present = emulator.listSecurityProfilesIn(foreign.instanceId).some((p) => p.id === foreign.id);
    if (!present) {
      violations.push(`profile "${foreign.name}" (${foreign.id}) is not ours and was deleted`);
      continue;
    }
    if (foreign.permissions) {
      const input = { InstanceId: foreign.instanceId, SecurityProfileId: foreign.id };
      const live = (await client.send(new ListSecurityProfilePermissionsCommand(input))).Permissions ?? [];
      if (JSON.stringify([...live].sort()) !== JSON.stringify([...foreign.permissions].sort())) {
        violations.push(`profile "${foreign.name}" is not ours and its permissions changed to ${JSON.stringify(live)}`);
      }
    }
  }

  // profiles handed over with RemovalPolicy Retain are no longer ours: they must survive, unless a later
  // deployment adopted them again (then they are ours once more)
  for (const d of stack.deleted.filter((x) => x.properties.RemovalPolicy === 'Retain')) {
    const adoptedLater = stack.answered.some((a) => a.physicalResourceId === d.physicalResourceId && a.seq > d.seq);
    const exists = emulator.listSecurityProfilesIn(instanceIdOf(d.physicalResourceId)).some((p) => p.arn === d.physicalResourceId);
    if (!adoptedLater && !stack.deletedOutOfBand.has(d.physicalResourceId) && !exists) {
      violations.push(`the retained profile ${d.physicalResourceId} ("${d.properties.SecurityProfileName}") was deleted`);
    }
  }

  const deployed = stack.deployed;
  const retained = new Set(stack.deleted.filter((d) => d.properties.RemovalPolicy === 'Retain').map((d) => d.physicalResourceId));
  const leaked = new Set(stack.cleanupLeaks.map((l) => l.physicalResourceId));

  for (const instance of world.instances) {
    const ours = emulator.listSecurityProfilesIn(instance.instanceId).filter((p) => !notOursIds.has(p.id));
    const names = new Map<string, number>();
    for (const p of ours) names.set(p.name, (names.get(p.name) ?? 0) + 1);
    for (const [name, count] of names) {
      if (count > 1) violations.push(`duplicate: ${count} profiles named "${name}" in instance ${instance.instanceId}`);
    }

    const declaredHere = deployed && instanceIdOf(deployed.physicalResourceId) === instance.instanceId ? deployed : undefined;
    if (declaredHere) {
      const match = ours.find((p) => p.arn === declaredHere.physicalResourceId);
      if (!match) {
        violations.push(`the deployed profile ${declaredHere.physicalResourceId} ("${declaredHere.properties.SecurityProfileName}") does not exist`);
      } else {
        const live = await readLiveProfile(client, instance.instanceId, profileIdOf(match.arn));
        for (const d of differencesFromDeclared(declaredHere.properties, live)) violations.push(`deployed profile differs from the template: ${d}`);
        const mark = ownerMark(stack.stackId, logicalId);
        if (live.Tags[OWNER_TAG_KEY] !== mark) {
          violations.push(`deployed profile's owner tag is ${JSON.stringify(live.Tags[OWNER_TAG_KEY])}, expected ${JSON.stringify(mark)}`);
        }
      }
    }
    for (const p of ours) {
      if (declaredHere && p.arn === declaredHere.physicalResourceId) continue;
      if (retained.has(p.arn)) continue;
      if (leaked.has(p.arn)) continue;
      const mark = (await readLiveProfile(client, instance.instanceId, profileIdOf(p.arn))).Tags[OWNER_TAG_KEY];
      const failed = [...failedWrites].reverse().find((f) => f.mark === mark && f.name === p.name && f.instanceArn.endsWith(`/${instance.instanceId}`));
      if (failed) {
        failedCreateOrphans.push({ arn: p.arn, name: p.name, ownerMark: mark, properties: failed.properties });
        continue;
      }
      violations.push(`orphan: profile "${p.name}" (${p.arn}) exists, but the stack neither declares it nor asked to retain it`);
    }
  }
  return { violations, failedCreateOrphans };
}
