/**
 * IAM for assignments, rendered from the action lists of the assignment contract (the gateway calls exactly
 * those): the handler may read and write the security profiles of the users (`agent/*`) and AI agents of the
 * instances the stack's assignments use; the reconciler may read them, and write them only when an assignment
 * of the stack remediates.
 *
 * Connect authorizes the user calls on the user (`instance/<id>/agent/<userId>`) and the security profiles named
 * in the request (`instance/<id>/security-profile/<id>`); the AI agent calls on the instance and the profiles.
 * Rather than rely on the Service Authorization Reference's per-action resource table, each action gets the
 * instance and those two child patterns, never `*` and never another instance. The three AI agent actions are
 * granted to every stack with an assignment: Delete and the removal of an agent from the list call them after
 * the template stops naming any agent.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ASSIGNMENT_HANDLER_ACTIONS, ASSIGNMENT_RECONCILER_READ_ACTIONS, ASSIGNMENT_RECONCILER_WRITE_ACTIONS } from './assignment-contract';
import { acknowledge, flattenCfnReference } from './nag';
import { SecurityProfileProvider } from './provider';

interface Grants {
  readonly handler: iam.PolicyStatement;
  readonly reconcilerRead: iam.PolicyStatement;
  reconcilerWrite?: iam.PolicyStatement;
  readonly instances: Set<string>;
}

const GRANTS = new WeakMap<SecurityProfileProvider, Grants>();

/** The resources an assignment's calls are authorized on in one instance. */
function resourcesOf(instanceArn: string): string[] {
  return [instanceArn, `${instanceArn}/agent/*`, `${instanceArn}/security-profile/*`];
}

/**
 * Let the provider's handler and reconciler serve assignments in this instance (idempotent per instance).
 *
 * @param remediate whether this assignment repairs drift (the reconciler then may write)
 */
export function grantAssignments(provider: SecurityProfileProvider, instanceArn: string, remediate: boolean): void {
  const drift = provider.requireDriftResources();
  let grants = GRANTS.get(provider);
  if (!grants) {
    grants = {
      handler: new iam.PolicyStatement({ actions: ASSIGNMENT_HANDLER_ACTIONS, resources: [] }),
      reconcilerRead: new iam.PolicyStatement({ actions: ASSIGNMENT_RECONCILER_READ_ACTIONS, resources: [] }),
      instances: new Set(),
    };
    GRANTS.set(provider, grants);
  }
  if (remediate && !grants.reconcilerWrite) {
    grants.reconcilerWrite = new iam.PolicyStatement({ actions: ASSIGNMENT_RECONCILER_WRITE_ACTIONS, resources: [] });
    for (const arn of grants.instances) grants.reconcilerWrite.addResources(...resourcesOf(arn));
    if (grants.instances.size > 0) drift.role.addToPrincipalPolicy(grants.reconcilerWrite);
  }
  if (grants.instances.has(instanceArn)) return;
  if (grants.instances.size === 0) {
    // a statement without resources is invalid: attached with the first instance
    provider.role.addToPrincipalPolicy(grants.handler);
    drift.role.addToPrincipalPolicy(grants.reconcilerRead);
    if (grants.reconcilerWrite) drift.role.addToPrincipalPolicy(grants.reconcilerWrite);
  }
  grants.instances.add(instanceArn);
  const resources = resourcesOf(instanceArn);
  grants.handler.addResources(...resources);
  grants.reconcilerRead.addResources(...resources);
  grants.reconcilerWrite?.addResources(...resources);
  const findings = resources.slice(1).map((arn) => `Resource::${flattenCfnReference(Stack.of(provider).resolve(arn))}`);
  const reason = 'Amazon Connect assigns user and security profile ids at creation: a SecurityProfileAssignment reads and sets the profiles of the users of the instances this stack uses, and no other instance';
  acknowledge(provider.role, 'AwsSolutions-IAM5', reason, findings);
  acknowledge(drift.role, 'AwsSolutions-IAM5', reason, findings);
}
