/**
 * Whether a Create that found its name taken may adopt the profile that holds it. Pure.
 *
 * Create is always tried first; this decides only after Connect answered "duplicate name", from the owner
 * mark on the profile that holds the name and the resource's `AdoptExisting`.
 */
import { isOwnMark, isSameStackMark, markedLogicalId } from './owner';
import { OWNER_TAG_KEY } from '../src/private/contract';

/** What the create-or-adopt step knows when the name is taken. */
export interface AdoptionInput {
  /** The ARN of the profile that holds the name (for the messages). */
  readonly securityProfileArn: string;
  /** Its live owner tag (`OWNER_TAG_KEY`); `undefined` when it has none. */
  readonly owner: string | undefined;
  /** The event's stack and logical id: which marks are this resource's. */
  readonly stackId: string;
  readonly logicalResourceId: string;
  /** `AdoptExisting`. */
  readonly adoptExisting: boolean;
}

/** Adopt: the profile carries this resource's mark (a retried Create), or adoption is explicit. */
export interface Adopt {
  readonly kind: 'adopt';
  /** Whether the profile carries this resource's own mark. */
  readonly ours: boolean;
}

/** Refuse: `reason` says why and how to go on. */
export interface Refuse {
  readonly kind: 'refuse';
  readonly reason: string;
}

/** What `decideAdoption` decides. */
export type AdoptionDecision = Adopt | Refuse;

/**
 * Decide whether to adopt the profile that holds the name.
 *
 * A mark of another resource of the same stack, or of another stack, is refused even with `adoptExisting`:
 * two resources would manage one profile (the replaced one's cleanup Delete would delete it, and two
 * stacks would flip it on every sweep). A profile without our mark is adopted only with `adoptExisting`.
 */
export function decideAdoption(input: AdoptionInput): AdoptionDecision {
  const { owner, securityProfileArn: arn } = input;
  const ours = owner !== undefined && isOwnMark(owner, input.stackId, input.logicalResourceId);
  if (ours) return { kind: 'adopt', ours: true };
  if (owner !== undefined && isSameStackMark(owner, input.stackId)) {
    // a rename onto a sibling's name, or two profiles swapping names
    const sibling = markedLogicalId(owner);
    return {
      kind: 'refuse',
      reason: `the name is held by another resource of this stack (${sibling}: ${arn}), and two resources cannot manage one profile. `
        + `To move the name, deploy twice: first rename ${sibling}'s profile to a free name, then give this resource the name`,
    };
  }
  if (owner !== undefined && owner.includes('/')) {
    // a live mark `<stackName>/<logicalId>` of another stack: that stack still manages the profile (a
    // stack that releases a profile removes the mark)
    const otherStack = owner.slice(0, owner.indexOf('/'));
    return {
      kind: 'refuse',
      reason: `a security profile with this name already exists (${arn}) and stack "${otherStack}" manages it `
        + `(its ${OWNER_TAG_KEY} tag is "${owner}"). To hand it over, set removalPolicy RETAIN on it in "${otherStack}" and `
        + 'remove it from that stack (the removal releases it), then deploy this stack with adoptExisting: true. '
        + `If "${otherStack}" no longer exists, remove the ${OWNER_TAG_KEY} tag from the profile first`,
    };
  }
  if (!input.adoptExisting) {
    const whose = owner === undefined ? 'it has no owner tag' : `its ${OWNER_TAG_KEY} tag is "${owner}"`;
    return {
      kind: 'refuse',
      reason: `a security profile with this name already exists (${arn}) and this resource does not own it (${whose}). `
        + 'To manage it from this stack, set adoptExisting: true on the SecurityProfile (property AdoptExisting "true"); '
        + 'to use it without managing it, import it with SecurityProfile.fromSecurityProfileArn; '
        + 'otherwise choose another securityProfileName or delete the existing profile',
    };
  }
  return { kind: 'adopt', ours: false };
}
