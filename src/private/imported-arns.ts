/**
 * ARNs given to the imports (`Instance.fromInstanceArn`, `SecurityProfile.fromSecurityProfileArn`,
 * `UserHierarchyGroup.fromUserHierarchyGroupArn`): a literal is parsed with the strict parsers of `./arns` and
 * refused with a message naming the property; a token is split with intrinsics at deploy time.
 */
import { Arn, ArnFormat, Fn, Token } from 'aws-cdk-lib';
import {
  HIERARCHY_GROUP_ARN_FORMAT, INSTANCE_ARN_FORMAT, parseHierarchyGroupArn, parseInstanceArn, parseSecurityProfileArn, SECURITY_PROFILE_ARN_FORMAT,
} from './arns';

/**
 * The instance id of an instance ARN.
 *
 * @param instanceArn a literal ARN or a token
 * @param prop the property the ARN was given as, for the message
 * @throws when a literal is not an instance ARN
 */
export function instanceIdOfArn(instanceArn: string, prop = 'instanceArn'): string {
  if (Token.isUnresolved(instanceArn)) {
    return Arn.split(instanceArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
  }
  const parts = parseInstanceArn(instanceArn);
  if (!parts) {
    throw new Error(
      `\`${prop}\` must look like ${INSTANCE_ARN_FORMAT}, got '${instanceArn}': pass the instance's full ARN (see the Connect console's "Instance ARN") or use Instance.fromInstanceId()`,
    );
  }
  return parts.instanceId;
}

/** A resource that lives in an instance, as its ARN names it: `<instance ARN>/<kind>/<id>`. */
export interface InstanceChild {
  readonly instanceArn: string;
  readonly id: string;
}

/** The resources of an instance the imports take by ARN: the ARN's segment, how it looks, and its parser. */
const CHILD_KINDS = {
  'security-profile': {
    format: SECURITY_PROFILE_ARN_FORMAT,
    parse: (arn: string) => {
      const parts = parseSecurityProfileArn(arn);
      return parts && { instanceArn: parts.instanceArn, id: parts.securityProfileId };
    },
  },
  'agent-group': {
    format: HIERARCHY_GROUP_ARN_FORMAT,
    parse: (arn: string) => {
      const parts = parseHierarchyGroupArn(arn);
      return parts && { instanceArn: parts.instanceArn, id: parts.hierarchyGroupId };
    },
  },
} as const;

/**
 * The instance ARN and the id of `<instance ARN>/<kind>/<id>`.
 *
 * @param arn a literal ARN or a token (split with `Fn::Select`/`Fn::Split` at deploy time)
 * @param kind the ARN's resource segment
 * @param prop the property the ARN was given as, for the message
 * @param fix what to do instead, for the message
 * @throws when a literal is not such an ARN
 */
export function instanceChildOfArn(arn: string, kind: keyof typeof CHILD_KINDS, prop: string, fix: string): InstanceChild {
  if (Token.isUnresolved(arn)) {
    // <instance ARN>/<kind>/<id> split on '/' is [arn:...:instance, <instanceId>, <kind>, <id>]
    return { id: Fn.select(3, Fn.split('/', arn)), instanceArn: Fn.select(0, Fn.split(`/${kind}/`, arn)) };
  }
  const parts = CHILD_KINDS[kind].parse(arn);
  if (!parts) {
    throw new Error(`\`${prop}\` must look like ${CHILD_KINDS[kind].format}, got '${arn}': ${fix}`);
  }
  return parts;
}
