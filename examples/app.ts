/**
 * The example app: the security profiles of a contact center that outsources to two BPOs.
 *
 * - A user hierarchy: `Contact Center` > `BPO-A` and `BPO-B`, at the two levels of a
 *   `UserHierarchyStructure` (Connect needs a level before it holds groups; the groups wait for it).
 * - A third BPO, BPO-C, whose group the instance's administrators made in the console (`Partners` >
 *   `BPO-C`): the app finds it by path at deploy time (`UserHierarchyGroup.fromGroupPath`), with no id in
 *   the code.
 * - A supervisor profile per BPO, restricted to its own BPO's users (hierarchy-based access control to
 *   a given group): a BPO-A supervisor cannot see or manage BPO-B's agents, and the reverse. The
 *   supervisors may view the agent hierarchy, which hierarchy restriction does not cover: the synthesis
 *   warns about it (a guardrail warning with its own id).
 * - Who holds each supervisor profile, declared: the users of that BPO's group (and below) tagged
 *   `role=supervisor` (`profile.assignTo`). A user moved to another BPO's group gains that BPO's profile and
 *   loses the old one when the assignment is reconciled: detect-only at first (reported, nothing changed),
 *   remediate once the app says so.
 * - An agent profile with tag-based access control: its holders reach only users and queues tagged
 *   `Tier=1`.
 * - Drift reconciliation on (remediate, hourly): a change made in the Connect console is put back.
 *
 * Context (`-c key=value` with the CDK CLI, or `CDK_CONTEXT_JSON`):
 * - `instanceArn`: the Connect instance to use (the demo points it at an emulator instance);
 * - `agentExtraPermissions`: comma-separated permission names added to the agent profile (the demo's
 *   "change the app" step);
 * - `assignmentMode`: `detect` (default) or `remediate`, how the supervisors' assignments are reconciled.
 *
 * Run it with `npx tsx examples/app.ts` (synthesizes into `cdk.out`), or `npm run demo` to see it
 * deployed, drifted, repaired, updated and deleted locally.
 */
import { App, Arn, ArnFormat, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  DriftReconciliation,
  HierarchyAccessControl,
  HierarchyGroupMatchType,
  Instance,
  type IInstance,
  type IUserHierarchyGroup,
  Permission,
  SecurityProfile,
  TagAccessControl,
  TagRestrictedResource,
  UserAttributeFilter,
  UserHierarchyGroup,
  UserHierarchyStructure,
  UserSelection,
} from '../src';

/** The instance used when no `instanceArn` is given in the context (synthesis only). */
export const PLACEHOLDER_INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

/** The stack name of the example. */
export const EXAMPLE_STACK_NAME = 'ContactCenterSecurity';

/** The security profile names the example declares. */
export const PROFILE_NAMES = {
  supervisorA: 'BPO-A-Supervisor',
  supervisorB: 'BPO-B-Supervisor',
  supervisorC: 'BPO-C-Supervisor',
  agent: 'Tier1-Agent',
} as const;

/** The path of BPO-C's group, which the instance has before the app is deployed (made in the console). */
export const CONSOLE_GROUP_PATH = ['Partners', 'BPO-C'];

/** The user tag that makes a user of a BPO's group one of its supervisors. */
export const SUPERVISOR_TAG = { key: 'role', value: 'supervisor' } as const;

/** How the supervisors' assignments are reconciled between deploys. */
export type AssignmentMode = 'detect' | 'remediate';

/** The level names of the example's hierarchy, from the top. */
export const HIERARCHY_LEVELS = ['Company', 'Partner'];

/** Permissions of both supervisor profiles. */
export const SUPERVISOR_PERMISSIONS = [
  Permission.BASIC_AGENT_ACCESS,
  Permission.USERS_VIEW,
  Permission.AGENT_GROUPING_VIEW,
  Permission.ACCESS_METRICS,
  Permission.ACCESS_METRICS_REAL_TIME_METRICS_ACCESS,
  Permission.CONTACT_SEARCH_VIEW,
  Permission.MANAGER_LISTEN_IN,
  Permission.MANAGER_BARGE_IN,
];

/** Permissions of the agent profile (before `agentExtraPermissions`). */
export const AGENT_PERMISSIONS = [
  Permission.BASIC_AGENT_ACCESS,
  Permission.OUTBOUND_CALL_ACCESS,
  Permission.TRANSFER_DESTINATIONS_VIEW,
];

/** Properties of `ContactCenterSecurityStack`. */
export interface ContactCenterSecurityProps extends StackProps {
  /** The Connect instance, imported into the stack. */
  readonly instance: (scope: Construct) => IInstance;
  /** Permission names added to the agent profile. @default - none */
  readonly agentExtraPermissions?: string[];
  /** How the supervisors' assignments are reconciled. @default 'detect' */
  readonly assignmentMode?: AssignmentMode;
}

/**
 * The hierarchy and the security profiles of the contact center.
 */
export class ContactCenterSecurityStack extends Stack {
  /** The BPO groups by name. */
  public readonly bpoGroups: Record<'BPO-A' | 'BPO-B' | 'BPO-C', IUserHierarchyGroup>;

  constructor(scope: Construct, id: string, props: ContactCenterSecurityProps) {
    super(scope, id, props);
    const instance = props.instance(this);

    // Connect creates groups only at levels that exist; the groups below take the structure from their parent
    const levels = new UserHierarchyStructure(this, 'HierarchyLevels', { instance, levels: HIERARCHY_LEVELS });
    const company = new UserHierarchyGroup(this, 'ContactCenter', {
      instance, userHierarchyGroupName: 'Contact Center', hierarchyStructure: levels,
    });
    const bpoA = new UserHierarchyGroup(this, 'BpoA', { instance, userHierarchyGroupName: 'BPO-A', parentGroup: company });
    const bpoB = new UserHierarchyGroup(this, 'BpoB', { instance, userHierarchyGroupName: 'BPO-B', parentGroup: company });
    // made in the console, not by this app: found at deploy time by its path of names
    const bpoC = UserHierarchyGroup.fromGroupPath(this, 'BpoC', instance, CONSOLE_GROUP_PATH);
    this.bpoGroups = { 'BPO-A': bpoA, 'BPO-B': bpoB, 'BPO-C': bpoC };

    for (const [construct, name, bpo] of [
      ['BpoASupervisor', PROFILE_NAMES.supervisorA, 'BPO-A'],
      ['BpoBSupervisor', PROFILE_NAMES.supervisorB, 'BPO-B'],
      ['BpoCSupervisor', PROFILE_NAMES.supervisorC, 'BPO-C'],
    ] as const) {
      const group = this.bpoGroups[bpo];
      const supervisors = new SecurityProfile(this, construct, {
        instance,
        securityProfileName: name,
        description: `Supervisors of ${bpo}: see and manage only their BPO's agents`,
        permissions: SUPERVISOR_PERMISSIONS,
        hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group),
        tags: { team: 'workforce-management' },
      });
      // the BPO's users tagged role=supervisor hold it; users moved out of the group lose it
      supervisors.assignTo('Holders', {
        users: UserSelection.matching(UserAttributeFilter.allOf(
          UserAttributeFilter.hierarchyGroup(group, HierarchyGroupMatchType.WITH_CHILD_GROUPS),
          UserAttributeFilter.tag(SUPERVISOR_TAG.key, SUPERVISOR_TAG.value),
        )),
        driftReconciliation: props.assignmentMode === 'remediate' ? DriftReconciliation.remediate() : DriftReconciliation.detectOnly(),
      });
    }

    new SecurityProfile(this, 'Tier1Agent', {
      instance,
      securityProfileName: PROFILE_NAMES.agent,
      description: 'Tier 1 agents: reach only users and queues tagged Tier=1',
      permissions: [...AGENT_PERMISSIONS, ...(props.agentExtraPermissions ?? []).map((p) => Permission.of(p))],
      tagAccessControl: TagAccessControl.restrictToTagged({ Tier: '1' }, [TagRestrictedResource.USER, TagRestrictedResource.QUEUE]),
      tags: { team: 'workforce-management' },
    });
  }
}

/**
 * Build the example app from its context.
 */
export function buildApp(app: App = new App()): App {
  const instanceArn: string = app.node.tryGetContext('instanceArn') ?? PLACEHOLDER_INSTANCE_ARN;
  const extra: unknown = app.node.tryGetContext('agentExtraPermissions');
  const agentExtraPermissions = typeof extra === 'string'
    ? extra.split(',').map((p) => p.trim()).filter((p) => p.length > 0)
    : Array.isArray(extra) ? extra.map(String) : [];
  const mode: unknown = app.node.tryGetContext('assignmentMode') ?? 'detect';
  if (mode !== 'detect' && mode !== 'remediate') {
    throw new Error(`context \`assignmentMode\` must be 'detect' or 'remediate', got ${JSON.stringify(mode)}`);
  }
  const { account, region } = Arn.split(instanceArn, ArnFormat.SLASH_RESOURCE_NAME);
  new ContactCenterSecurityStack(app, EXAMPLE_STACK_NAME, {
    env: { account, region },
    instance: (scope) => Instance.fromInstanceArn(scope, 'Instance', instanceArn),
    agentExtraPermissions,
    assignmentMode: mode,
    description: 'Amazon Connect security profiles of a contact center with two BPOs (cdk-connect-security-profiles example)',
  });
  return app;
}

if (require.main === module) {
  buildApp().synth();
}
