import { App, CfnElement, Lazy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { HierarchyAccessControl, Instance, SecurityProfile, UserHierarchyGroup } from '../../src';
import { GROUP_LOOKUP_RESOURCE_TYPE, RESOURCE_TYPE } from '../../src/private/contract';
import { GROUP_LOOKUP_ACTIONS } from '../../src/private/provider';
import { instanceScoped } from '../support/templates';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';
const OTHER_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-2';

function setup() {
  const stack = new Stack(new App(), 'Lookups', { env: { account: '111122223333', region: 'eu-west-2' } });
  const instance = Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN);
  return { stack, instance };
}

/** The statements of the handler role's policy that grant the lookup actions. */
function lookupStatements(stack: Stack): Array<{ Action: string[]; Resource: unknown[] }> {
  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  const handler = policies.find((p) => JSON.stringify(p.Properties.Roles).includes('HandlerRole'));
  return handler!.Properties.PolicyDocument.Statement
    .filter((st: { Action: string | string[] }) => [].concat(st.Action as never).some((a: string) => GROUP_LOOKUP_ACTIONS.includes(a)));
}

describe('UserHierarchyGroup.fromGroupPath and fromGroupName', () => {
  test('a path renders a lookup resource served by the stack\'s provider; the group\'s id and ARN are its attributes', () => {
    // GIVEN
    const { stack, instance } = setup();

    // WHEN
    const group = UserHierarchyGroup.fromGroupPath(stack, 'BpoA', instance, ['Company', 'BPO-A']);

    // THEN
    const template = Template.fromStack(stack);
    const logicalId = stack.getLogicalId(group.node.findChild('Resource').node.defaultChild as CfnElement);
    template.hasResourceProperties(GROUP_LOOKUP_RESOURCE_TYPE, {
      ServiceToken: { 'Fn::GetAtt': [Match.stringLikeRegexp('^CdkConnectSecurityProfilesProviderFramework'), 'Arn'] },
      ContractVersion: '1',
      InstanceArn: INSTANCE_ARN,
      GroupPath: ['Company', 'BPO-A'],
      GroupName: Match.absent(),
    });
    expect(stack.resolve(group.userHierarchyGroupId)).toEqual({ 'Fn::GetAtt': [logicalId, 'UserHierarchyGroupId'] });
    expect(stack.resolve(group.userHierarchyGroupArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'UserHierarchyGroupArn'] });
    expect(group.instanceArn).toBe(INSTANCE_ARN);
    template.resourceCountIs('AWS::Lambda::Function', 2); // the handler and the framework: no function of its own
  });

  test('a name renders GroupName and no path', () => {
    const { stack, instance } = setup();

    UserHierarchyGroup.fromGroupName(stack, 'BpoB', instance, 'BPO-B');

    Template.fromStack(stack).hasResourceProperties(GROUP_LOOKUP_RESOURCE_TYPE, { GroupName: 'BPO-B', GroupPath: Match.absent() });
  });

  test('a looked-up group restricts a profile (restrictToGroup) and parents a new group', () => {
    // GIVEN
    const { stack, instance } = setup();
    const bpoA = UserHierarchyGroup.fromGroupPath(stack, 'BpoA', instance, ['Company', 'BPO-A']);

    // WHEN
    new SecurityProfile(stack, 'Supervisors', {
      instance, securityProfileName: 'BPO-A supervisors', hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(bpoA),
    });
    new UserHierarchyGroup(stack, 'TeamX', { instance, userHierarchyGroupName: 'Team X', parentGroup: bpoA });

    // THEN
    const template = Template.fromStack(stack);
    const lookupId = stack.getLogicalId(bpoA.node.findChild('Resource').node.defaultChild as CfnElement);
    template.hasResourceProperties(RESOURCE_TYPE, {
      AllowedAccessControlHierarchyGroupId: { 'Fn::GetAtt': [lookupId, 'UserHierarchyGroupId'] },
      HierarchyRestrictedResources: ['User'],
    });
    template.hasResourceProperties('AWS::Connect::UserHierarchyGroup', {
      Name: 'Team X', ParentGroupArn: { 'Fn::GetAtt': [lookupId, 'UserHierarchyGroupArn'] },
    });
  });

  test('IAM: only the lookup actions, on each instance looked into and its agent-group/*, once per instance', () => {
    // GIVEN
    const { stack, instance } = setup();
    const other = Instance.fromInstanceArn(stack, 'Other', OTHER_ARN);

    // WHEN
    UserHierarchyGroup.fromGroupPath(stack, 'A', instance, ['Company', 'BPO-A']);
    UserHierarchyGroup.fromGroupName(stack, 'B', instance, 'BPO-B');
    UserHierarchyGroup.fromGroupName(stack, 'C', other, 'Sales');

    // THEN
    expect(lookupStatements(stack)).toEqual([{
      Effect: 'Allow',
      Action: [...GROUP_LOOKUP_ACTIONS],
      Resource: instanceScoped([INSTANCE_ARN, OTHER_ARN], 'agent-group'),
    }]);
  });

  test('a stack of profiles without a lookup is granted no lookup action', () => {
    const { stack, instance } = setup();

    new SecurityProfile(stack, 'Agents', { instance, securityProfileName: 'Agents' });

    expect(lookupStatements(stack)).toEqual([]);
  });

  test('cdk-nag AwsSolutions: no unacknowledged finding, the agent-group/* wildcard acknowledged with its reason', () => {
    // GIVEN
    const { stack, instance } = setup();
    const bpoA = UserHierarchyGroup.fromGroupPath(stack, 'BpoA', instance, ['Company', 'BPO-A']);
    new SecurityProfile(stack, 'Supervisors', {
      instance, securityProfileName: 'BPO-A supervisors', hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(bpoA),
    });

    // WHEN
    const report = new AwsSolutionsChecks().validateScope(stack);

    // THEN
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    const acknowledged = stack.node.findAll().flatMap((c) => c.node.metadata)
      .filter((m) => m.type === 'aws:cdk:acknowledged-rules').map((m) => m.data as Record<string, string>);
    expect(acknowledged.some((a) => /^a lookup finds a hierarchy group/.test(a[`AwsSolutions-IAM5[Resource::${INSTANCE_ARN}/agent-group/*]`] ?? ''))).toBe(true);
  });
});

describe('synth-time validation of the path and the name', () => {
  const { stack, instance } = setup();
  let n = 0;
  const path = (p: string[]) => () => UserHierarchyGroup.fromGroupPath(stack, `P${++n}`, instance, p);
  const name = (v: string) => () => UserHierarchyGroup.fromGroupName(stack, `N${++n}`, instance, v);

  test.each([
    ['an empty path', path([]), /`groupPath` must have 1 to 5 group names \(a Connect hierarchy has at most five levels\), got 0: list the names from level one down/],
    ['six levels', path(['a', 'b', 'c', 'd', 'e', 'f']), /`groupPath` must have 1 to 5 group names .*got 6/],
    ['an empty name in the path', path(['Company', '']), /`groupPath\[1\]` must be 1 to 100 characters, got 0 \(''\)/],
    ['a name of 101 characters', path(['x'.repeat(101)]), /`groupPath\[0\]` must be 1 to 100 characters, got 101/],
    ['an empty name', name(''), /`userHierarchyGroupName` must be 1 to 100 characters, got 0/],
    ['a name of 101 characters (code points)', name('😀'.repeat(101)), /`userHierarchyGroupName` must be 1 to 100 characters, got 101/],
  ])('fails on %s', (_case, build, message) => {
    expect(build).toThrow(message);
  });

  test('boundary: five names of 100 characters (code points), and a 100-character name, are accepted', () => {
    expect(path(Array(5).fill('😀'.repeat(100)))).not.toThrow();
    expect(name('x'.repeat(100))).not.toThrow();
  });

  test('tokens are left to the deploy: a token name and a token path', () => {
    const token = Lazy.string({ produce: () => 'BPO-A' });
    expect(path(['Company', token])).not.toThrow();
    expect(path(Lazy.list({ produce: () => ['Company'] }))).not.toThrow();
    expect(name(token)).not.toThrow();
  });
});
