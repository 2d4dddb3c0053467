/**
 * One security profile that sets every field the API-call benchmark drifts: description, permissions,
 * tags, tag-based access control, hierarchy-based access control (to a given group) and an
 * application. Context: `instanceArn`, `groupId` (an existing hierarchy group), `drift` (`remediate`).
 */
import { App, Stack } from 'aws-cdk-lib';
import * as lib from '../src';

/** The stack name. */
export const ONE_PROFILE_STACK = 'BenchOneProfile';

/** The profile's declared fields (what the benchmark drifts away from). */
export const ONE_PROFILE = {
  name: 'Bench-Every-Field',
  description: 'every field the API-call benchmark drifts',
  permissions: ['BasicAgentAccess', 'OutboundCallAccess', 'Users.View', 'AgentGrouping.View', 'AccessMetrics'],
  tags: { team: 'bench', costCenter: '42' },
  allowedAccessControlTags: { Tier: '1' },
  application: { namespace: 'bench.example.com', applicationPermissions: ['ReadOnly'] },
};

/** Build the app from its context. */
export function buildOneProfileApp(app: App = new App()): App {
  const instanceArn = String(app.node.tryGetContext('instanceArn'));
  const groupId = String(app.node.tryGetContext('groupId'));
  const stack = new Stack(app, ONE_PROFILE_STACK, { env: { account: '123456789012', region: 'us-east-1' } });
  const instance = lib.Instance.fromInstanceArn(stack, 'Instance', instanceArn);
  const group = lib.UserHierarchyGroup.fromUserHierarchyGroupId(stack, 'Group', instance, groupId);
  const drift = app.node.tryGetContext('drift') === 'remediate' ? driftProps() : {};
  new lib.SecurityProfile(stack, 'Profile', {
    instance,
    securityProfileName: ONE_PROFILE.name,
    description: ONE_PROFILE.description,
    permissions: ONE_PROFILE.permissions.map((p) => lib.Permission.of(p)),
    tags: ONE_PROFILE.tags,
    tagAccessControl: lib.TagAccessControl.restrictToTagged(ONE_PROFILE.allowedAccessControlTags, [lib.TagRestrictedResource.USER]),
    hierarchyAccessControl: lib.HierarchyAccessControl.restrictToGroup(group),
    applications: [ONE_PROFILE.application],
    ...drift,
  });
  return app;
}

/** `driftReconciliation: DriftReconciliation.remediate()`, once the construct exposes it. */
function driftProps(): Record<string, unknown> {
  const drift = (lib as unknown as Record<string, { remediate?: () => unknown } | undefined>).DriftReconciliation;
  if (!drift?.remediate) {
    throw new Error('bench: drift=remediate needs DriftReconciliation.remediate() exported from src/');
  }
  return { driftReconciliation: drift.remediate() };
}

if (require.main === module) {
  buildOneProfileApp().synth();
}
