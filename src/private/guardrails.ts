import { Annotations, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Access-control guardrails: what the Connect administrator guide says about hierarchy- and tag-based access
 * control, checked at synth on the profiles an app declares. Each finding is a warning with its own id (an app
 * that means it acknowledges it with `Annotations.of(profile).acknowledgeWarning(id)`).
 *
 * The rules read only what a profile declares; they run at validation time, after every `addPermissions()`.
 */

/** The prefix of every warning id of this library. */
const PREFIX = 'cdk-connect-security-profiles';

/** The admin guide pages the messages cite. */
export const ADMIN_GUIDE = {
  hierarchy: 'https://docs.aws.amazon.com/connect/latest/adminguide/hierarchy-based-access-control.html',
  tags: 'https://docs.aws.amazon.com/connect/latest/adminguide/tag-based-access-control.html',
} as const;

/** The ids of the guardrail warnings, one per rule. */
export const GUARDRAIL = {
  canLiftRestriction: `${PREFIX}:restrictedProfileCanLiftRestriction`,
  hierarchyNotCovered: `${PREFIX}:hierarchyRestrictionNotCovered`,
  unrestrictedUserManagement: `${PREFIX}:unrestrictedUserManagement`,
} as const;

/**
 * Permissions with which a holder changes security profiles or which profiles users hold: with them, the holder of
 * a restricted profile can remove the restriction from the profile, or give themselves an unrestricted one.
 */
const LIFTS_RESTRICTION: Record<string, string> = {
  'SecurityProfiles.Create': 'Security profiles - Create',
  'SecurityProfiles.Edit': 'Security profiles - Edit',
  'Users.EditPermission': 'Users - Edit permission',
};

/**
 * Admin pages that list and change resources other than users. Users are the only resource hierarchy-based access
 * control restricts ("The only resource that supports hierarchy-based access control is users"), so on these pages
 * the holder of a hierarchy-restricted profile works on everything in the instance.
 */
const NOT_HIERARCHY_RESTRICTED: Array<{ prefix: string; page: string }> = [
  { prefix: 'SecurityProfiles.', page: 'Security profiles' },
  { prefix: 'AgentGrouping.', page: 'Agent hierarchy' },
  { prefix: 'RoutingPolicies.', page: 'Routing profiles' },
  { prefix: 'Queues.', page: 'Queues' },
  { prefix: 'AgentStates.', page: 'Agent status' },
  { prefix: 'TransferDestinations.', page: 'Quick connects' },
  { prefix: 'HoursOfOperation.', page: 'Hours of operation' },
];

/** Permissions that manage users (create, edit, delete, change their profiles). */
const USER_MANAGEMENT = ['Users.Create', 'Users.Edit', 'Users.Delete', 'Users.EditPermission'];

/** What the guardrails read from one profile. */
export interface GuardedProfile {
  /** The construct the warnings go on. */
  readonly scope: IConstruct;
  /** The instance, as the app references it (the same reference gives the same string, a token or not). */
  readonly instanceKey: string;
  /** `HierarchyRestrictedResources` is set. */
  readonly hierarchyRestricted: boolean;
  /** `AllowedAccessControlTags` is set (with its restricted resources). */
  readonly tagRestricted: boolean;
  /** The profile's permission names at validation time. */
  readonly permissions: () => string[];
}

const REGISTRY = new WeakMap<IConstruct, GuardedProfile[]>();

/** What the guardrails read from one assignment. */
export interface GuardedAssignment {
  /** The construct the findings go on. */
  readonly scope: IConstruct;
  /** The profile assigned (a construct of this app, or an imported profile the guardrails know nothing of). */
  readonly profile: IConstruct;
  /** The usernames listed (`UserSelection.usernames`), literal ones only; undefined when users are not listed. */
  readonly usernames?: readonly string[];
}

const ASSIGNMENTS = new WeakMap<IConstruct, GuardedAssignment[]>();

/**
 * Put an assignment under the guardrails: Connect refuses a third profile that enforces granular access control
 * for one user, so an app that lists one username in three assignments of restricted profiles fails at synth.
 * Who a filter selects is known only at deploy time, where the assignment checks the same rule before any write
 * (a synth warning on filters would fire on the common, disjoint case: one filter per hierarchy group).
 */
export function guardAssignment(assignment: GuardedAssignment): void {
  const root = assignment.scope.node.root;
  const peers = register(ASSIGNMENTS, root, assignment);
  assignment.scope.node.addValidation({
    validate: () => {
      const profiles = REGISTRY.get(root) ?? [];
      return assignmentErrors(assignment, peers, (scope) => profiles.find((p) => p.scope === scope));
    },
  });
}

/** The errors of one assignment among the assignments of its app. */
export function assignmentErrors(
  assignment: GuardedAssignment,
  peers: readonly GuardedAssignment[],
  profileOf: (scope: IConstruct) => GuardedProfile | undefined,
): string[] {
  const errors: string[] = [];
  const own = profileOf(assignment.profile);
  if (!own || !(own.hierarchyRestricted || own.tagRestricted)) return errors;
  // the restricted profiles of the same instance that this app assigns, with the assignments that do it
  const restrictedPeers = peers.map((a) => ({ a, p: profileOf(a.profile) }))
    .filter(({ p }) => p !== undefined && (p.hierarchyRestricted || p.tagRestricted) && p.instanceKey === own.instanceKey);
  const limit = `Connect refuses it ("Users can be assigned a maximum of two security profiles that enforce granular access control", admin guide, "Apply hierarchy-based access control": ${ADMIN_GUIDE.hierarchy})`;

  for (const name of assignment.usernames ?? []) {
    const holding = [...new Set(restrictedPeers.filter(({ a }) => a.usernames?.includes(name)).map(({ p }) => p!.scope.node.path))];
    if (holding.length > 2) {
      errors.push(`the user '${name}' is assigned ${holding.length} profiles that restrict access (${holding.map((x) => `'${x}'`).join(', ')}), `
        + `more than the two a user may hold: ${limit}. Remove '${name}' from all but two of these assignments`);
    }
  }
  return errors;
}

/**
 * Put a profile under the guardrails. The checks run when the app is validated, so permissions added later count.
 */
export function guardProfile(profile: GuardedProfile): void {
  const peers = register(REGISTRY, profile.scope.node.root, profile);
  profile.scope.node.addValidation({
    validate: () => {
      for (const [id, message] of findings(profile, peers)) {
        Annotations.of(profile.scope).addWarningV2(id, message);
      }
      return [];
    },
  });
}

/** The guardrail findings of one profile among the profiles of its app: [warning id, message]. */
export function findings(profile: GuardedProfile, peers: readonly GuardedProfile[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const permissions = profile.permissions().filter((p) => !Token.isUnresolved(p));
  const restricted = profile.hierarchyRestricted || profile.tagRestricted;
  const how = [profile.hierarchyRestricted ? 'hierarchy-based' : undefined, profile.tagRestricted ? 'tag-based' : undefined]
    .filter((x) => x !== undefined).join(' and ');
  const cite = profile.hierarchyRestricted ? ADMIN_GUIDE.hierarchy : ADMIN_GUIDE.tags;

  const lifting = permissions.filter((p) => LIFTS_RESTRICTION[p] !== undefined);
  if (restricted && lifting.length > 0) {
    out.push([GUARDRAIL.canLiftRestriction,
      `this profile restricts its holders with ${how} access control but grants ${lifting.map((p) => `'${p}' (${LIFTS_RESTRICTION[p]})`).join(', ')}: `
      + 'its holders can edit security profiles or which profiles users hold, so they can lift their own restriction. '
      + `Move those permissions to an administrators' profile, or acknowledge this warning if that is intended (admin guide, "${profile.hierarchyRestricted ? 'Apply hierarchy-based access control' : 'Apply tag-based access control'}": ${cite})`]);
  }

  if (profile.hierarchyRestricted) {
    const pages = NOT_HIERARCHY_RESTRICTED.filter((g) => permissions.some((p) => p.startsWith(g.prefix)));
    if (pages.length > 0) {
      const granted = permissions.filter((p) => pages.some((g) => p.startsWith(g.prefix)));
      out.push([GUARDRAIL.hierarchyNotCovered,
        `this profile restricts its holders by hierarchy, but it grants ${granted.map((p) => `'${p}'`).join(', ')}, for the pages `
        + `${pages.map((g) => `"${g.page}"`).join(', ')}, which the hierarchy restriction does not cover: users are the only resource hierarchy-based `
        + 'access control restricts, so on those pages its holders see and change every item of the instance. '
        + `Restrict them with access control tags (\`tagAccessControl\`) where Connect supports it, drop the permissions, or acknowledge this warning (admin guide, "Apply hierarchy-based access control", Overview: ${ADMIN_GUIDE.hierarchy})`]);
    }
  }

  const manages = (p: GuardedProfile): string[] => p.permissions().filter((n) => USER_MANAGEMENT.includes(n));
  const managing = manages(profile);
  if (!restricted && managing.length > 0) {
    const restrictedPeers = peers.filter((p) => p !== profile && p.instanceKey === profile.instanceKey
      && (p.hierarchyRestricted || p.tagRestricted) && manages(p).length > 0);
    if (restrictedPeers.length > 0) {
      out.push([GUARDRAIL.unrestrictedUserManagement,
        `this profile manages users (${managing.map((p) => `'${p}'`).join(', ')}) without any access restriction, while this app restricts the user-management `
        + `profile(s) ${restrictedPeers.map((p) => `'${p.scope.node.path}'`).join(', ')} of the same instance: a holder of this one manages every user, `
        + 'which undoes the restriction of the others, also for a user who holds both. '
        + `Add \`hierarchyAccessControl\` or access control tags to this profile, or acknowledge this warning for an administrators' profile (admin guide, "Apply hierarchy-based access control": ${ADMIN_GUIDE.hierarchy}; "Apply tag-based access control": ${ADMIN_GUIDE.tags})`]);
    }
  }
  return out;
}

/** The list `registry` keeps for the app at `root` (started when missing), with `item` added. */
function register<T>(registry: WeakMap<IConstruct, T[]>, root: IConstruct, item: T): T[] {
  let all = registry.get(root);
  if (!all) {
    all = [];
    registry.set(root, all);
  }
  all.push(item);
  return all;
}
