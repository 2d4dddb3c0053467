import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AiAgentType, ApplicationType, FlowModuleType, HierarchyAccessControl, Instance, Permission, SecurityProfile, TagAccessControl,
  TagRestrictedResource,
  UserHierarchyGroup,
} from '../../src';

/** A stack that uses every feature of the library. */
function everyFeature(): Stack {
  const stack = new Stack(new App(), 'EveryFeature', { env: { account: '111122223333', region: 'eu-west-2' } });
  const instance = Instance.fromInstanceId(stack, 'Instance', 'aaaabbbb-cccc-dddd-eeee-ffff00001111');
  const other = Instance.fromInstanceArn(stack, 'OtherInstance', 'arn:aws:connect:eu-west-2:111122223333:instance/other');
  const region = new UserHierarchyGroup(stack, 'Emea', { instance, userHierarchyGroupName: 'EMEA' });
  const team = new UserHierarchyGroup(stack, 'TeamA', { instance, userHierarchyGroupName: 'Team A', parentGroup: region, tags: { team: 'a' } });
  new SecurityProfile(stack, 'Supervisors', {
    instance,
    securityProfileName: 'Team A supervisors',
    description: 'Team A supervisors see team A',
    permissions: [Permission.USERS_VIEW, Permission.ACCESS_METRICS],
    hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(team),
    tagAccessControl: TagAccessControl.restrictToTagged({ Department: 'Support' }, [TagRestrictedResource.USER]),
    applications: [{ namespace: 'my.app', applicationPermissions: ['ACCESS'], type: ApplicationType.THIRD_PARTY_APPLICATION }],
    allowedFlowModules: [{ type: FlowModuleType.MCP, flowModuleId: 'fm-1' }],
    granularAccessControlConfiguration: {
      dataTableAccessControlConfiguration: { primaryAttributeAccessControlConfiguration: { primaryAttributeValues: [{ attributeName: 'region', values: ['emea'] }] } },
    },
    allowedAIAgents: [{ aiAgentArn: 'arn:aws:wisdom:eu-west-2:111122223333:ai-agent/a/b', type: AiAgentType.THIRD_PARTY }],
    tags: { team: 'a' },
    removalPolicy: RemovalPolicy.RETAIN,
    adoptExisting: true,
  });
  new SecurityProfile(stack, 'OwnGroup', {
    instance: other,
    securityProfileName: 'Leads',
    hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup(),
  });
  return stack;
}

describe('cdk-nag AwsSolutions', () => {
  test('a stack that uses every feature has no unacknowledged finding', () => {
    // GIVEN
    const stack = everyFeature();

    // WHEN
    const report = new AwsSolutionsChecks().validateScope(stack);

    // THEN
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('acknowledgements sit only on the provider, each with a reason', () => {
    // GIVEN
    const stack = everyFeature();

    // WHEN
    const acknowledged = stack.node.findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => ({ path: c.node.path, data: m.data as Record<string, string> })));

    // THEN
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { path, data } of acknowledged) {
      expect(path).toMatch(/^EveryFeature\/CdkConnectSecurityProfilesProvider\//);
      for (const reason of Object.values(data)) expect(reason.length).toBeGreaterThan(20);
    }
  });

  test('without the acknowledgements the provider would draw findings (they are not vacuous)', () => {
    // GIVEN
    const stack = everyFeature();
    for (const c of stack.node.findAll()) {
      // drop the acknowledgements: construct metadata is append-only, so rebuild the list without them
      const kept = c.node.metadata.filter((m) => m.type !== 'aws:cdk:acknowledged-rules');
      (c.node as unknown as { _metadata: unknown[] })._metadata = kept;
    }

    // WHEN
    const report = new AwsSolutionsChecks().validateScope(stack);

    // THEN
    const rules = report.violations.map((v) => v.ruleName.replace(/\[.*$/, ''));
    expect(new Set(rules)).toEqual(new Set(['AwsSolutions-IAM4', 'AwsSolutions-IAM5', 'AwsSolutions-L1']));
    for (const v of report.violations) {
      for (const r of v.violatingResources) expect(r.constructPath).toMatch(/CdkConnectSecurityProfilesProvider/);
    }
  });
});
