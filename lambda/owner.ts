/**
 * The owner mark: the value of the `OWNER_TAG_KEY` tag on every profile this handler creates.
 *
 * It ties a profile to one resource of one stack: the stack NAME and the logical id. A stack name is
 * unique per account and Region, and it survives what the stack ARN does not: a stack whose first
 * deployment failed (ROLLBACK_COMPLETE) is deleted and created anew with a new StackId, and its next
 * deployment must still recognise the profile the failed attempt made. A same-named profile made by
 * someone else is never taken over silently.
 */
import { createHash } from 'crypto';

/** Connect's limit on a tag value. */
export const MAX_TAG_VALUE_LENGTH = 256;

/** arn:<partition>:cloudformation:<region>:<account>:stack/<name>/<uuid> */
const STACK_ARN = /^arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:\d{12}:stack\/([^/]+)\/[^/]+$/;

/**
 * The name of a stack from its ARN (the `StackId` of an event); the value itself when it is not one.
 */
export function stackNameOf(stackId: string): string {
  return STACK_ARN.exec(stackId)?.[1] ?? stackId;
}

/**
 * The owner mark of a resource.
 *
 * `<stackName>/<logicalResourceId>` when that fits in a tag value (256 characters); otherwise its first
 * characters, then `#sha256:` and the SHA-256 of the whole mark, so it stays unique and stable.
 *
 * @param stackId the CloudFormation stack ARN (`StackId` of the event)
 * @param logicalResourceId the resource's logical id
 */
export function ownerMark(stackId: string, logicalResourceId: string): string {
  const full = `${stackNameOf(stackId)}/${logicalResourceId}`;
  if (full.length <= MAX_TAG_VALUE_LENGTH) return full;
  const digest = `#sha256:${createHash('sha256').update(full).digest('hex')}`;
  return full.slice(0, MAX_TAG_VALUE_LENGTH - digest.length) + digest;
}
