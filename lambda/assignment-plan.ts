/**
 * The one planner of assignments: from the declared holders and what Connect shows, the changes to make.
 *
 * Pure. Rules, in the order they apply:
 * - Only the managed profile moves: a user's change is its current profiles plus or minus that one profile.
 * - The assignment answers for the holders it added (`added`, kept in its record): a user that leaves the
 *   selection loses the profile only when the assignment gave it; a holder someone else gave it is left alone,
 *   and so is a selected user who already held it.
 * - A user is never left without a profile: removing the managed profile from a user who has no other is
 *   refused (`last-profile`), and the user stays recorded, so a later run removes it once they have another.
 * - "Users can be assigned a maximum of two security profiles that enforce granular access control": adding a
 *   restricted profile to a user who already holds two is refused (`restricted`); so is an eleventh profile
 *   (`profile-limit`: SecurityProfileIds holds at most 10).
 * - AI agents are associated when declared and not holding the profile, and disassociated when the assignment
 *   associated them and they are no longer declared.
 */
import { MAX_PROFILES_PER_USER, MAX_RESTRICTED_PROFILES_PER_USER } from '../src/private/assignment-contract';

/** A user as the planner sees it. */
export interface HolderUser {
  readonly id: string;
  readonly username: string;
  readonly securityProfileIds: readonly string[];
}

/** What the planner decides from. */
export interface HolderObservation {
  /** The managed profile. */
  readonly securityProfileId: string;
  /** Does the managed profile enforce granular access control? */
  readonly profileRestricted: boolean;
  /** Which of the users' other profiles enforce granular access control. */
  readonly restrictedProfileIds: ReadonlySet<string>;
  /** The users the selection matches now. */
  readonly targets: readonly HolderUser[];
  /** The users that hold the managed profile now. */
  readonly holders: readonly HolderUser[];
  /** The users the assignment gave the profile (its record). */
  readonly added: readonly string[];
  /** The declared AI agents. */
  readonly declaredAgents: readonly string[];
  /** The AI agents the assignment associated (its record). */
  readonly addedAgents: readonly string[];
  /** Which of the declared and recorded AI agents hold the profile now. */
  readonly agentsHolding: ReadonlySet<string>;
}

/** One user's change: the whole new set of profiles (UpdateUserSecurityProfiles replaces the set). */
export interface UserChange {
  readonly userId: string;
  readonly username: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
}

/** Why a user is not brought in line. */
export type RefusalReason = 'restricted' | 'last-profile' | 'profile-limit';

/** A change a rule refused. */
export interface RefusedUser {
  readonly userId: string;
  readonly username: string;
  readonly reason: RefusalReason;
  /** For `restricted`: the restricted profiles the user holds. */
  readonly restrictedProfileIds?: readonly string[];
}

/** The changes to the holders: what a plan will make, or what applying it made. */
export interface HolderChanges {
  /** Users given the profile. */
  readonly add: readonly UserChange[];
  /** Users the profile is taken from. */
  readonly remove: readonly UserChange[];
  /** Changes a rule refused (after applying: those refused on the fresh read, not the plan's own again). */
  readonly refused: readonly RefusedUser[];
  /** AI agents associated with the profile. */
  readonly associate: readonly string[];
  /** AI agents disassociated from the profile. */
  readonly disassociate: readonly string[];
  /** The users the assignment answers for once the changes are made (sorted). */
  readonly added: readonly string[];
  /** The AI agents the assignment answers for once the changes are made (sorted). */
  readonly addedAgents: readonly string[];
}

/** How many changes of each kind were made: what logs and reports show. */
export interface HolderChangeCounts {
  readonly assigned: number;
  readonly unassigned: number;
  readonly associated: number;
  readonly disassociated: number;
}

/** The counts of a set of changes; all zero when none were made. */
export function countChanges(changes: HolderChanges | undefined): HolderChangeCounts {
  return {
    assigned: changes?.add.length ?? 0,
    unassigned: changes?.remove.length ?? 0,
    associated: changes?.associate.length ?? 0,
    disassociated: changes?.disassociate.length ?? 0,
  };
}

/** The changes to make, and what they cost in writes. */
export interface HolderPlan extends HolderChanges {
  /** Writes the plan needs: the number the safety valve compares with `maxChangesPerRun`. */
  readonly changeCount: number;
}

/** Plan the changes that bring the holders in line with the declaration. */
export function planHolders(o: HolderObservation): HolderPlan {
  const profile = o.securityProfileId;
  const recorded = new Set(o.added);
  const targets = byId(o.targets);
  const holders = byId(o.holders);
  const add: UserChange[] = [];
  const remove: UserChange[] = [];
  const refused: RefusedUser[] = [];
  const added = new Set<string>();

  for (const user of targets.values()) {
    const holds = user.securityProfileIds.includes(profile) || holders.has(user.id);
    if (holds) {
      if (recorded.has(user.id)) added.add(user.id);
      continue;
    }
    const refusal = refuseAdding(o, user);
    if (refusal) {
      refused.push(refusal);
      continue;
    }
    add.push({ userId: user.id, username: user.username, from: [...user.securityProfileIds], to: [...user.securityProfileIds, profile] });
    added.add(user.id);
  }

  for (const user of holders.values()) {
    if (targets.has(user.id) || !recorded.has(user.id)) continue;
    const rest = user.securityProfileIds.filter((id) => id !== profile);
    if (rest.length === 0) {
      refused.push({ userId: user.id, username: user.username, reason: 'last-profile' });
      added.add(user.id);
      continue;
    }
    remove.push({ userId: user.id, username: user.username, from: [...user.securityProfileIds], to: rest });
  }

  const declared = new Set(o.declaredAgents);
  const recordedAgents = new Set(o.addedAgents);
  const associate = [...declared].filter((arn) => !o.agentsHolding.has(arn)).sort();
  const disassociate = [...recordedAgents].filter((arn) => !declared.has(arn) && o.agentsHolding.has(arn)).sort();
  const addedAgents = [...declared].filter((arn) => associate.includes(arn) || recordedAgents.has(arn)).sort();

  return {
    add: sortByName(add),
    remove: sortByName(remove),
    refused: refused.sort((a, b) => compare(a.username, b.username)),
    associate,
    disassociate,
    added: [...added].sort(),
    addedAgents,
    changeCount: add.length + remove.length + associate.length + disassociate.length,
  };
}

/**
 * The changes that undo an assignment (Delete): the managed profile leaves every recorded user that still holds
 * it, unless it is their only profile, and every recorded AI agent that still holds it.
 */
export function planRelease(o: Pick<HolderObservation, 'securityProfileId' | 'holders' | 'added' | 'addedAgents' | 'agentsHolding'>): HolderPlan {
  return planHolders({
    ...o,
    profileRestricted: false,
    restrictedProfileIds: new Set(),
    targets: [],
    declaredAgents: [],
  });
}

function refuseAdding(o: HolderObservation, user: HolderUser): RefusedUser | undefined {
  if (user.securityProfileIds.length >= MAX_PROFILES_PER_USER) {
    return { userId: user.id, username: user.username, reason: 'profile-limit' };
  }
  if (!o.profileRestricted) return undefined;
  const restricted = user.securityProfileIds.filter((id) => o.restrictedProfileIds.has(id));
  if (restricted.length + 1 > MAX_RESTRICTED_PROFILES_PER_USER) {
    return { userId: user.id, username: user.username, reason: 'restricted', restrictedProfileIds: [...restricted].sort() };
  }
  return undefined;
}

function byId(users: readonly HolderUser[]): Map<string, HolderUser> {
  const map = new Map<string, HolderUser>();
  for (const user of users) if (!map.has(user.id)) map.set(user.id, user);
  return map;
}

function sortByName(changes: UserChange[]): UserChange[] {
  return changes.sort((a, b) => compare(a.username, b.username));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A refusal in words, for logs and deploy errors. */
export function describeRefusal(r: RefusedUser): string {
  switch (r.reason) {
    case 'restricted':
      return `user "${r.username}" (${r.userId}) already holds ${r.restrictedProfileIds?.length ?? 0} security profiles that enforce granular access control `
        + `(${(r.restrictedProfileIds ?? []).join(', ')}); a user can hold at most ${MAX_RESTRICTED_PROFILES_PER_USER} (admin guide, hierarchy-based access control)`;
    case 'last-profile':
      return `user "${r.username}" (${r.userId}) left the selection but holds no other security profile; it keeps this one until it has another`;
    case 'profile-limit':
      return `user "${r.username}" (${r.userId}) already holds ${MAX_PROFILES_PER_USER} security profiles, the most a user can hold`;
  }
}
