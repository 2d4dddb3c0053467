import { CfnElement, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HierarchyAccessControl, HierarchyRestrictedResource, Instance, UserHierarchyGroup } from '../../src';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';
const GROUP_ARN = `${INSTANCE_ARN}/agent-group/grp-1`;

describe('UserHierarchyGroup', () => {
  test('renders the L1 with its parent and tags, and derives the id from the ARN', () => {
    // GIVEN
    const stack = new Stack();
    const instance = Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN);
    const region = new UserHierarchyGroup(stack, 'Emea', { instance, userHierarchyGroupName: 'EMEA' });

    // WHEN
    const team = new UserHierarchyGroup(stack, 'TeamA', {
      instance,
      userHierarchyGroupName: 'Team A',
      parentGroup: region,
      tags: { costCentre: 'cc-1' },
    });
    Tags.of(team).add('owner', 'bpo');

    // THEN
    const template = Template.fromStack(stack);
    const regionId = stack.getLogicalId(region.node.defaultChild as CfnElement);
    const teamId = stack.getLogicalId(team.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::Connect::UserHierarchyGroup', {
      InstanceArn: INSTANCE_ARN,
      Name: 'Team A',
      ParentGroupArn: { 'Fn::GetAtt': [regionId, 'UserHierarchyGroupArn'] },
      Tags: Match.arrayWith([{ Key: 'costCentre', Value: 'cc-1' }, { Key: 'owner', Value: 'bpo' }]),
    });
    template.hasResourceProperties('AWS::Connect::UserHierarchyGroup', { Name: 'EMEA', ParentGroupArn: Match.absent() });
    expect(stack.resolve(team.userHierarchyGroupId)).toEqual({
      'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [teamId, 'UserHierarchyGroupArn'] }] }],
    });
    expect(team.parentGroup).toBe(region);
  });

  test('fails on a name over 100 characters, accepts 100 and a token', () => {
    const stack = new Stack();
    const instance = Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN);
    expect(() => new UserHierarchyGroup(stack, 'Long', { instance, userHierarchyGroupName: 'x'.repeat(101) }))
      .toThrow(/`userHierarchyGroupName` must be 1 to 100 characters, got 101 \('x+'\): shorten the name/);
    expect(() => new UserHierarchyGroup(stack, 'Max', { instance, userHierarchyGroupName: 'x'.repeat(100) })).not.toThrow();
  });

  test('counts the name in Unicode code points, as Connect does, not in UTF-16 units', () => {
    const stack = new Stack();
    const instance = Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN);
    // each emoji is one code point and two UTF-16 units: 100 of them are 200 units long in JavaScript
    expect(() => new UserHierarchyGroup(stack, 'Emoji', { instance, userHierarchyGroupName: '😀'.repeat(100) })).not.toThrow();
    expect(() => new UserHierarchyGroup(stack, 'TooMany', { instance, userHierarchyGroupName: '😀'.repeat(101) }))
      .toThrow(/`userHierarchyGroupName` must be 1 to 100 characters, got 101 /);
  });

  test('fails on a parent group of another instance', () => {
    const stack = new Stack();
    const other = UserHierarchyGroup.fromUserHierarchyGroupArn(stack, 'Other', 'arn:aws:connect:eu-west-2:111122223333:instance/inst-2/agent-group/g');
    expect(() => new UserHierarchyGroup(stack, 'G', { instance: Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN), userHierarchyGroupName: 'G', parentGroup: other }))
      .toThrow(/`parentGroup` belongs to instance '.*inst-2', not to '.*inst-1': pick a parent group in the same instance/);
  });

  test('fromUserHierarchyGroupArn parses the id and the instance', () => {
    const group = UserHierarchyGroup.fromUserHierarchyGroupArn(new Stack(), 'G', GROUP_ARN);
    expect(group.userHierarchyGroupId).toBe('grp-1');
    expect(group.instanceArn).toBe(INSTANCE_ARN);
    expect(group.userHierarchyGroupArn).toBe(GROUP_ARN);
  });

  test('fromUserHierarchyGroupArn fails on an ARN of another resource type', () => {
    expect(() => UserHierarchyGroup.fromUserHierarchyGroupArn(new Stack(), 'G', `${INSTANCE_ARN}/security-profile/p`))
      .toThrow(/`userHierarchyGroupArn` must look like .*\/agent-group\/<groupId>, got '.*security-profile\/p'/);
  });

  test('fromUserHierarchyGroupArn accepts a token and splits it at deploy time', () => {
    // GIVEN
    const stack = new Stack();
    const defined = new UserHierarchyGroup(stack, 'Defined', { instance: Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN), userHierarchyGroupName: 'D' });
    const arnRef = { 'Fn::GetAtt': [stack.getLogicalId(defined.node.defaultChild as CfnElement), 'UserHierarchyGroupArn'] };

    // WHEN
    const group = UserHierarchyGroup.fromUserHierarchyGroupArn(stack, 'G', defined.userHierarchyGroupArn);

    // THEN
    expect(stack.resolve(group.userHierarchyGroupId)).toEqual({ 'Fn::Select': [3, { 'Fn::Split': ['/', arnRef] }] });
    expect(stack.resolve(group.instanceArn)).toEqual({ 'Fn::Select': [0, { 'Fn::Split': ['/agent-group/', arnRef] }] });
  });

  test('fromUserHierarchyGroupId builds the ARN in the instance', () => {
    const stack = new Stack();
    const group = UserHierarchyGroup.fromUserHierarchyGroupId(stack, 'G', Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN), 'grp-1');
    expect(group.userHierarchyGroupArn).toBe(GROUP_ARN);
    expect(group.userHierarchyGroupId).toBe('grp-1');
  });

  test('fromUserHierarchyGroupId refuses an ARN', () => {
    const stack = new Stack();
    expect(() => UserHierarchyGroup.fromUserHierarchyGroupId(stack, 'G', Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN), GROUP_ARN))
      .toThrow(/`userHierarchyGroupId` must be a group id .* got 'arn:.*': for an ARN use UserHierarchyGroup.fromUserHierarchyGroupArn\(\)/);
  });
});

describe('HierarchyAccessControl', () => {
  test('restrictToGroup restricts users and keeps the group', () => {
    const group = UserHierarchyGroup.fromUserHierarchyGroupArn(new Stack(), 'G', GROUP_ARN);
    const control = HierarchyAccessControl.restrictToGroup(group);
    expect(control.group).toBe(group);
    expect(control.restrictedResources).toEqual([HierarchyRestrictedResource.USER]);
  });

  test('restrictToUsersOwnGroup has no group and restricts users', () => {
    const control = HierarchyAccessControl.restrictToUsersOwnGroup();
    expect(control.group).toBeUndefined();
    expect(control.restrictedResources).toEqual([HierarchyRestrictedResource.USER]);
  });
});
