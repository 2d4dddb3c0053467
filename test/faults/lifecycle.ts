/**
 * The random lifecycle sequences of the fault-injection property: what a user and their colleagues do
 * to one `Custom::ConnectSecurityProfile` over its life.
 *
 * Steps are plain data (fast-check shrinks them); `toProperties` turns a declared shape into the
 * properties the construct renders, given the instances and hierarchy groups of one run.
 */
import * as fc from 'fast-check';

/** Names the generator picks from. `FOREIGN_NAME` also exists in the second instance, owned by someone else. */
export const PROFILE_NAMES = ['Agents-Tier1', 'Agents-Tier2', 'Supervisors-BPO-A'] as const;
/** A profile someone else owns in instance 1; declaring it there must fail cleanly and touch nothing. */
export const FOREIGN_NAME = 'Supervisors-BPO-A';

/** Documented permission names (connect-model permissions.json). */
export const PERMISSION_POOL = [
  'AccessMetrics', 'BasicAgentAccess', 'ContactSearch.View', 'OutboundCallAccess', 'RoutingPolicies.View',
  'SecurityProfiles.View', 'Users.Edit', 'Users.View',
] as const;

/** Resource tags the generator picks from. */
export const TAG_POOL: Record<string, string> = { team: 'cx', costCenter: '4711', env: 'prod', owner: 'bpo-a' };

/** Tag-based access control pairs. */
export const ACCESS_TAG_POOL: Record<string, string> = { Department: 'Sales', Region: 'EMEA' };

/** Applications the generator picks from. */
export const APPLICATION_POOL = [
  { Namespace: 'arn:aws:app-integrations:us-east-1:123456789012:application/crm', ApplicationPermissions: ['ACTION.Read'] },
  { Namespace: 'arn:aws:app-integrations:us-east-1:123456789012:application/wfm', ApplicationPermissions: ['ACTION.Read', 'ACTION.Write'] },
] as const;

/** A declared security profile, as indices into the pools. */
export interface DeclaredShape {
  /** 0 or 1: which of the run's instances. */
  readonly instance: number;
  readonly name: number;
  readonly description?: string;
  readonly permissions: readonly number[];
  readonly tags: readonly string[];
  readonly accessTags: readonly string[];
  /** `none`, each user's own group, or a given group (index into the instance's groups). */
  readonly hierarchy: { readonly mode: 'none' } | { readonly mode: 'own' } | { readonly mode: 'group'; readonly group: number };
  readonly applications: readonly number[];
  readonly removalPolicy: 'Delete' | 'Retain';
  /** Drift reconciliation of the profile; absent is `DISABLED` (the payload of older constructs). */
  readonly driftMode?: 'REMEDIATE' | 'DETECT_ONLY' | 'DISABLED';
}

/** An out-of-band edit someone makes in the Connect admin website. */
export type OutOfBandEdit = 'description' | 'addPermission' | 'removePermissions' | 'removeHierarchy' | 'addTag' | 'removeTags' | 'addAccessTag';

/** One step of a sequence. `chaos` seeds the delivery chaos and the emulator's fault draws of the step. */
export type Step =
  | { readonly kind: 'deploy'; readonly shape: DeclaredShape; readonly siblingFails: boolean; readonly chaos: number }
  | { readonly kind: 'edit'; readonly edit: OutOfBandEdit; readonly chaos: number }
  | { readonly kind: 'deleteOutOfBand'; readonly chaos: number }
  | { readonly kind: 'deleteStack'; readonly chaos: number }
  | { readonly kind: 'sweep'; readonly chaos: number }
  | { readonly kind: 'assignUser'; readonly chaos: number };

const uniqueSubset = (size: number) => fc.uniqueArray(fc.nat({ max: size - 1 }), { maxLength: size }).map((a) => [...a].sort());

/** The declared shape arbitrary. */
export const declaredShape: fc.Arbitrary<DeclaredShape> = fc.record({
  instance: fc.nat({ max: 1 }),
  name: fc.nat({ max: PROFILE_NAMES.length - 1 }),
  description: fc.option(fc.constantFrom('Tier 1 agents', 'BPO A supervisors', 'managed by CDK'), { nil: undefined }),
  permissions: uniqueSubset(PERMISSION_POOL.length),
  tags: fc.subarray(Object.keys(TAG_POOL)),
  accessTags: fc.subarray(Object.keys(ACCESS_TAG_POOL)),
  hierarchy: fc.oneof(
    fc.constant({ mode: 'none' as const }),
    fc.constant({ mode: 'own' as const }),
    fc.record({ mode: fc.constant('group' as const), group: fc.nat({ max: 1 }) }),
  ),
  applications: uniqueSubset(APPLICATION_POOL.length),
  removalPolicy: fc.constantFrom<'Delete' | 'Retain'>('Delete', 'Delete', 'Delete', 'Retain'),
  driftMode: fc.constantFrom<DeclaredShape['driftMode']>('REMEDIATE', 'REMEDIATE', 'DETECT_ONLY', 'DISABLED', undefined),
});

const chaosSeed = fc.integer({ min: 1, max: 0x7fffffff });

/** The step arbitrary: deploys (create or update) dominate, as in real life. */
export const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('deploy' as const), shape: declaredShape, siblingFails: fc.constant(false), chaos: chaosSeed }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deploy' as const), shape: declaredShape, siblingFails: fc.constant(true), chaos: chaosSeed }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      edit: fc.constantFrom<OutOfBandEdit>('description', 'addPermission', 'removePermissions', 'removeHierarchy', 'addTag', 'removeTags', 'addAccessTag'),
      chaos: chaosSeed,
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteOutOfBand' as const), chaos: chaosSeed }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteStack' as const), chaos: chaosSeed }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sweep' as const), chaos: chaosSeed }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('assignUser' as const), chaos: chaosSeed }) },
);

/** A sequence: 1..10 steps. */
export const sequence = fc.array(step, { minLength: 1, maxLength: 10 });

/** The instances and groups of one run. */
export interface RunWorld {
  readonly instances: ReadonlyArray<{ readonly instanceId: string; readonly instanceArn: string; readonly groupIds: readonly string[] }>;
}

/** The properties the construct would render for a declared shape (contract v1 keys). */
export function toProperties(shape: DeclaredShape, world: RunWorld): Record<string, unknown> {
  const instance = world.instances[shape.instance];
  const props: Record<string, unknown> = {
    ContractVersion: '1',
    InstanceArn: instance.instanceArn,
    SecurityProfileName: PROFILE_NAMES[shape.name],
    RemovalPolicy: shape.removalPolicy,
  };
  if (shape.driftMode !== undefined) props.DriftMode = shape.driftMode;
  if (shape.description !== undefined) props.Description = shape.description;
  if (shape.permissions.length > 0) props.Permissions = shape.permissions.map((i) => PERMISSION_POOL[i]).sort();
  if (shape.tags.length > 0) props.Tags = Object.fromEntries(shape.tags.map((k) => [k, TAG_POOL[k]]));
  if (shape.accessTags.length > 0) {
    props.AllowedAccessControlTags = Object.fromEntries(shape.accessTags.map((k) => [k, ACCESS_TAG_POOL[k]]));
    props.TagRestrictedResources = ['User'];
  }
  if (shape.hierarchy.mode !== 'none') {
    props.HierarchyRestrictedResources = ['User'];
    if (shape.hierarchy.mode === 'group') props.AllowedAccessControlHierarchyGroupId = instance.groupIds[shape.hierarchy.group];
  }
  if (shape.applications.length > 0) {
    props.Applications = shape.applications.map((i) => ({
      Namespace: APPLICATION_POOL[i].Namespace,
      ApplicationPermissions: [...APPLICATION_POOL[i].ApplicationPermissions],
    }));
  }
  return props;
}
