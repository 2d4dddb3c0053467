/**
 * A planner input for tests: nothing selected, held, recorded or declared, unless `o` says so.
 */
import type { HolderObservation } from '../../lambda/assignment-plan';

/** The managed profile's id unless `o` names another. */
export const MANAGED = 'managed';

/** An observation of the managed profile, with `o` on top of empty holders. */
export function holderObservation(o: Partial<HolderObservation>): HolderObservation {
  return {
    securityProfileId: MANAGED,
    profileRestricted: false,
    restrictedProfileIds: new Set(),
    targets: [],
    holders: [],
    added: [],
    declaredAgents: [],
    addedAgents: [],
    agentsHolding: new Set(),
    ...o,
  };
}
