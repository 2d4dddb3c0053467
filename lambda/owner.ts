/**
 * The owner mark: the value of the `OWNER_TAG_KEY` tag on every profile this handler creates.
 *
 * It ties a profile to one resource of one stack: `<scope>/<logicalResourceId>`, the scope being the stack
 * NAME. A stack name is unique per account and Region, and it survives what the stack ARN does not: a stack
 * whose first deployment failed (ROLLBACK_COMPLETE) is deleted and created anew with a new StackId, and its
 * next deployment must still recognise the profile the failed attempt made. A nested stack's name ends in a
 * random suffix that CloudFormation draws anew when it creates the nested stack again, so a nested stack's
 * scope is its name without that suffix (`ownerScopeOf` in the contract). Marks written before the suffix
 * was dropped keep being recognised (`isOwnMark`, `isSameStackMark`). A same-named profile made by someone
 * else is never taken over silently.
 */
import { createHash } from 'crypto';
import { stackNameOfArn } from '../src/private/arns';
import { ownerScopeOf } from '../src/private/contract';
import { LIMITS } from '../src/private/limits';

/** Connect's limit on a tag value. */
export const MAX_TAG_VALUE_LENGTH = LIMITS.tagValueMaxLength;

/** Between the scope and the logical id. Neither a stack name nor a logical id can hold it. */
const SEPARATOR = '/';

/**
 * The name of a stack from its ARN (the `StackId` of an event); the value itself when it is not one.
 */
export function stackNameOf(stackId: string): string {
  return stackNameOfArn(stackId) ?? stackId;
}

/**
 * The owner mark of a resource.
 *
 * `<scope>/<logicalResourceId>` when that fits in a tag value (256 characters); otherwise its first
 * characters, then `#sha256:` and the SHA-256 of the whole mark, so it stays unique and stable. The scope is
 * the stack name, without the random suffix of a nested stack's name.
 *
 * @param stackId the CloudFormation stack ARN (`StackId` of the event), or the stack name
 * @param logicalResourceId the resource's logical id
 */
export function ownerMark(stackId: string, logicalResourceId: string): string {
  return markOf(ownerScopeOf(stackNameOf(stackId)), logicalResourceId);
}

/**
 * Whether a live owner tag is this resource's own mark: the current one, or one written by an earlier
 * version of this handler (the full nested-stack name), or by an earlier incarnation of this nested stack
 * (the same parent and logical id, another random suffix).
 *
 * @param mark the value of `OWNER_TAG_KEY` on the profile
 * @param stackId the CloudFormation stack ARN (`StackId` of the event), or the stack name
 * @param logicalResourceId the resource's logical id
 */
export function isOwnMark(mark: string, stackId: string, logicalResourceId: string): boolean {
  const name = stackNameOf(stackId);
  if (mark === ownerMark(name, logicalResourceId) || mark === markOf(name, logicalResourceId)) return true;
  const parts = split(mark);
  return parts !== undefined && parts.logicalResourceId === logicalResourceId && isEarlierIncarnation(parts.scope, name);
}

/**
 * Whether a live owner tag belongs to some resource of this stack (this one or another): its scope is this
 * stack's scope, its full name, or, for a nested stack, an earlier incarnation of it. A shortened mark
 * (`#sha256:`) keeps its scope, so it is recognised too.
 *
 * @param mark the value of `OWNER_TAG_KEY` on the profile
 * @param stackId the CloudFormation stack ARN (`StackId` of the event), or the stack name
 */
export function isSameStackMark(mark: string, stackId: string): boolean {
  const name = stackNameOf(stackId);
  const parts = split(mark);
  if (parts === undefined) return false;
  return parts.scope === ownerScopeOf(name) || parts.scope === name || isEarlierIncarnation(parts.scope, name);
}

/**
 * The logical id a mark names (what follows the scope), for messages; a shortened mark names its start.
 *
 * @param mark the value of `OWNER_TAG_KEY` on the profile
 */
export function markedLogicalId(mark: string): string {
  return split(mark)?.logicalResourceId ?? mark;
}

function markOf(scope: string, logicalResourceId: string): string {
  const full = `${scope}${SEPARATOR}${logicalResourceId}`;
  if (full.length <= MAX_TAG_VALUE_LENGTH) return full;
  const digest = `#sha256:${createHash('sha256').update(full).digest('hex')}`;
  return full.slice(0, MAX_TAG_VALUE_LENGTH - digest.length) + digest;
}

function split(mark: string): { scope: string; logicalResourceId: string } | undefined {
  const at = mark.indexOf(SEPARATOR);
  if (at <= 0 || at === mark.length - 1) return undefined;
  return { scope: mark.slice(0, at), logicalResourceId: mark.slice(at + 1) };
}

/**
 * A scope written with the full name of another incarnation of this nested stack: it has a nested stack's
 * suffix, and without it names what this stack's name does. Only for a stack whose own name has that shape.
 */
function isEarlierIncarnation(scope: string, stackName: string): boolean {
  const ours = ownerScopeOf(stackName);
  return ours !== stackName && scope !== ours && ownerScopeOf(scope) === ours;
}
