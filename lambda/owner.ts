/**
 * The owner mark: the value of the `OWNER_TAG_KEY` tag on every profile this handler creates.
 *
 * It ties a profile to one resource of one stack (the stack ARN and the logical id), so a retried Create
 * can recognise the profile its lost first attempt made, and a same-named profile made by someone else is
 * never taken over silently.
 */
import { createHash } from 'crypto';

/** Connect's limit on a tag value. */
export const MAX_TAG_VALUE_LENGTH = 256;

/**
 * The owner mark of a resource.
 *
 * `<stackId>/<logicalResourceId>` when that fits in a tag value (256 characters); otherwise its first
 * characters, then `#sha256:` and the SHA-256 of the whole mark, so it stays unique and stable.
 *
 * @param stackId the CloudFormation stack ARN (`StackId` of the event)
 * @param logicalResourceId the resource's logical id
 */
export function ownerMark(stackId: string, logicalResourceId: string): string {
  const full = `${stackId}/${logicalResourceId}`;
  if (full.length <= MAX_TAG_VALUE_LENGTH) return full;
  const digest = `#sha256:${createHash('sha256').update(full).digest('hex')}`;
  return full.slice(0, MAX_TAG_VALUE_LENGTH - digest.length) + digest;
}
