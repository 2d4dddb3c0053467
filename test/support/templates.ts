/**
 * What the templates of a stack with security profiles must hold, for the construct tests (test/construct/) and
 * the provider-resource tests (test/drift/) to assert alike.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { OWNER_TAG_KEY } from '../../src/private/contract';
import { RECONCILER_READ_ACTIONS, RECONCILER_TABLE_ACTIONS, RECONCILER_WRITE_ACTIONS } from '../../src/private/drift-resources';

/** The children of an instance an IAM statement names, as `<instance ARN>/<kind>/*`. */
export type InstanceChildKind = 'security-profile' | 'agent-group';

/** Each instance ARN followed by its children of the given kinds, in that order: a statement's `Resource`. */
export function instanceScoped(instanceArns: string[], ...kinds: InstanceChildKind[]): string[] {
  return instanceArns.flatMap((arn) => [arn, ...kinds.map((kind) => `${arn}/${kind}/*`)]);
}

/** The desired-state table's ARN, whatever its path under the stack. */
export const DESIRED_STATE_TABLE_ARN = { 'Fn::GetAtt': [Match.stringLikeRegexp('DriftDesiredState'), 'Arn'] };

/**
 * The statements of the reconciler's policy: read and write records; read the instances' profiles and groups;
 * repair only the profiles whose owner tag names one of `ownerScopes`; update profiles with their groups.
 */
export function reconcilerStatements(instanceArns: string[], ownerScopes: string[]): object[] {
  const profiles = instanceArns.map((arn) => `${arn}/security-profile/*`);
  return [
    { Effect: 'Allow', Action: RECONCILER_TABLE_ACTIONS, Resource: DESIRED_STATE_TABLE_ARN },
    { Effect: 'Allow', Action: RECONCILER_READ_ACTIONS, Resource: instanceScoped(instanceArns, 'security-profile', 'agent-group') },
    {
      Effect: 'Allow',
      Action: RECONCILER_WRITE_ACTIONS,
      // one resource renders as a string
      Resource: profiles.length === 1 ? profiles[0] : profiles,
      Condition: { StringLike: { [`aws:ResourceTag/${OWNER_TAG_KEY}`]: ownerScopes.map((scope) => `${scope}/*`) } },
    },
    { Effect: 'Allow', Action: 'connect:UpdateSecurityProfile', Resource: instanceScoped(instanceArns, 'agent-group') },
  ];
}
