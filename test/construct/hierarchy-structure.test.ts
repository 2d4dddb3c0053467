import { App, CfnElement, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Instance, UserHierarchyGroup, UserHierarchyStructure } from '../../src';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';
const OTHER_INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-2';

function setup() {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const instance = Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN);
  return { app, stack, instance };
}

const logicalId = (stack: Stack, c: { node: { defaultChild?: unknown } }) => stack.getLogicalId(c.node.defaultChild as CfnElement);

describe('UserHierarchyStructure', () => {
  test('renders the levels from level one down', () => {
    // GIVEN
    const { stack, instance } = setup();

    // WHEN
    const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['Site', 'Client', 'Team'] });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::Connect::UserHierarchyStructure', {
      InstanceArn: INSTANCE_ARN,
      UserHierarchyStructure: {
        LevelOne: { Name: 'Site' },
        LevelTwo: { Name: 'Client' },
        LevelThree: { Name: 'Team' },
        LevelFour: Match.absent(),
        LevelFive: Match.absent(),
      },
    });
    expect(levels.levels).toEqual(['Site', 'Client', 'Team']);
    expect(stack.resolve(levels.userHierarchyStructureArn)).toEqual({ 'Fn::GetAtt': [logicalId(stack, levels), 'UserHierarchyStructureArn'] });
  });

  test('groups are created after the levels: the top group depends on the structure, its children on the top group', () => {
    // GIVEN
    const { stack, instance } = setup();
    const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['Site', 'Client'] });

    // WHEN
    const lisbon = new UserHierarchyGroup(stack, 'Lisbon', { instance, userHierarchyGroupName: 'Lisbon', hierarchyStructure: levels });
    const clientA = new UserHierarchyGroup(stack, 'ClientA', { instance, userHierarchyGroupName: 'Client A', parentGroup: lisbon });

    // THEN
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Connect::UserHierarchyGroup', {
      Properties: { Name: 'Lisbon' },
      DependsOn: [logicalId(stack, levels)],
    });
    // the child takes the parent's structure (its own DependsOn) and references its parent's ARN
    template.hasResource('AWS::Connect::UserHierarchyGroup', {
      Properties: { Name: 'Client A', ParentGroupArn: { 'Fn::GetAtt': [logicalId(stack, lisbon), 'UserHierarchyGroupArn'] } },
      DependsOn: [logicalId(stack, levels)],
    });
    expect([lisbon.level, clientA.level]).toEqual([1, 2]);
    expect(clientA.hierarchyStructure).toBe(levels);
  });

  test('a group without a structure has no dependency (the levels exist already)', () => {
    const { stack, instance } = setup();
    const group = new UserHierarchyGroup(stack, 'Lisbon', { instance, userHierarchyGroupName: 'Lisbon' });
    Template.fromStack(stack).hasResource('AWS::Connect::UserHierarchyGroup', { Properties: { Name: 'Lisbon' }, DependsOn: Match.absent() });
    expect(group.level).toBe(1);
    expect(group.hierarchyStructure).toBeUndefined();
  });

  test('boundary: a group at the deepest declared level, and five levels', () => {
    const { stack, instance } = setup();
    const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['1', '2', '3', '4', 'x'.repeat(50)] });
    let parent = new UserHierarchyGroup(stack, 'G1', { instance, userHierarchyGroupName: 'g1', hierarchyStructure: levels });
    for (let i = 2; i <= 5; i++) {
      parent = new UserHierarchyGroup(stack, `G${i}`, { instance, userHierarchyGroupName: `g${i}`, parentGroup: parent });
    }
    expect(parent.level).toBe(5);
  });

  test('fails for a group deeper than the declared levels, naming the levels and the fix', () => {
    const { stack, instance } = setup();
    const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['Site', 'Client'] });
    const site = new UserHierarchyGroup(stack, 'Site', { instance, userHierarchyGroupName: 'Lisbon', hierarchyStructure: levels });
    const client = new UserHierarchyGroup(stack, 'Client', { instance, userHierarchyGroupName: 'Client A', parentGroup: site });
    expect(() => new UserHierarchyGroup(stack, 'Team', { instance, userHierarchyGroupName: 'Team 1', parentGroup: client }))
      .toThrow(/the group 'Team 1' would be at level 3, but `hierarchyStructure` 'Stack\/Levels' declares 2 level\(s\) \('Site', 'Client'\): add a level to its `levels`/);
  });

  test('fails for a sixth level, even without a structure', () => {
    const { stack, instance } = setup();
    let parent = new UserHierarchyGroup(stack, 'G1', { instance, userHierarchyGroupName: 'g1' });
    for (let i = 2; i <= 5; i++) {
      parent = new UserHierarchyGroup(stack, `G${i}`, { instance, userHierarchyGroupName: `g${i}`, parentGroup: parent });
    }
    expect(() => new UserHierarchyGroup(stack, 'G6', { instance, userHierarchyGroupName: 'g6', parentGroup: parent }))
      .toThrow(/is at level 5, so this group would be at level 6: a Connect hierarchy has at most five levels/);
  });

  test('under an imported parent the level is unknown and not checked', () => {
    const { stack, instance } = setup();
    const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['Site'] });
    const imported = UserHierarchyGroup.fromUserHierarchyGroupId(stack, 'Imported', instance, 'grp-1');
    const group = new UserHierarchyGroup(stack, 'Child', { instance, userHierarchyGroupName: 'child', parentGroup: imported, hierarchyStructure: levels });
    expect(group.level).toBeUndefined();
    Template.fromStack(stack).hasResource('AWS::Connect::UserHierarchyGroup', { DependsOn: [logicalId(stack, levels)] });
  });

  test.each([
    [[], /`levels` must have 1 to 5 names .* got 0/],
    [['1', '2', '3', '4', '5', '6'], /`levels` must have 1 to 5 names .* got 6/],
    [['Site', ''], /`levels\[1\]` must be 1 to 50 characters, got 0/],
    [['x'.repeat(51)], /`levels\[0\]` must be 1 to 50 characters, got 51 .*shorten the level name/],
    // counted in code points, as Connect counts them: 51 emoji are 102 UTF-16 units
    [['Site', '😀'.repeat(51)], /`levels\[1\]` must be 1 to 50 characters, got 51 /],
  ])('fails for levels %j', (levelNames, message) => {
    const { stack, instance } = setup();
    expect(() => new UserHierarchyStructure(stack, 'Levels', { instance, levels: levelNames })).toThrow(message);
  });

  test('accepts 50 level-name characters counted in code points (100 UTF-16 units)', () => {
    const { stack, instance } = setup();
    expect(() => new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['😀'.repeat(50)] })).not.toThrow();
  });

  test('fails for a second structure of the same instance anywhere in the app; another instance is fine', () => {
    const { app, stack, instance } = setup();
    new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['Site'] });
    const other = new Stack(app, 'Other');
    const sameInstance = Instance.fromInstanceArn(other, 'Instance', INSTANCE_ARN);
    expect(() => new UserHierarchyStructure(other, 'Levels', { instance: sameInstance, levels: ['Region'] }))
      .toThrow(/instance 'arn:aws:connect:eu-west-2:111122223333:instance\/inst-1' already has a `UserHierarchyStructure` in this app \(Stack\/Levels\)/);
    const otherInstance = Instance.fromInstanceArn(other, 'Instance2', OTHER_INSTANCE_ARN);
    expect(() => new UserHierarchyStructure(other, 'Levels2', { instance: otherInstance, levels: ['Region'] })).not.toThrow();
  });

  test('fails for a structure of another instance, and for a child that names another structure than its parent', () => {
    const { app, stack, instance } = setup();
    const otherInstance = Instance.fromInstanceArn(stack, 'Other', OTHER_INSTANCE_ARN);
    const otherLevels = new UserHierarchyStructure(stack, 'OtherLevels', { instance: otherInstance, levels: ['Site'] });
    expect(() => new UserHierarchyGroup(stack, 'G', { instance, userHierarchyGroupName: 'g', hierarchyStructure: otherLevels }))
      .toThrow(/`hierarchyStructure` belongs to instance '.*inst-2', not to '.*inst-1': pass the structure of the group's own instance/);

    const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['Site', 'Team'] });
    const top = new UserHierarchyGroup(stack, 'Top', { instance, userHierarchyGroupName: 'top', hierarchyStructure: levels });
    const second = new Stack(app, 'Second');
    const secondInstance = Instance.fromInstanceArn(second, 'I', OTHER_INSTANCE_ARN.replace('inst-2', 'inst-3'));
    const unrelated = new UserHierarchyStructure(second, 'Levels', { instance: secondInstance, levels: ['A', 'B'] });
    expect(() => new UserHierarchyGroup(stack, 'Child', { instance, userHierarchyGroupName: 'child', parentGroup: top, hierarchyStructure: unrelated }))
      .toThrow(/the parent group uses 'Stack\/Levels': an instance has one structure; leave `hierarchyStructure` out/);
  });

  test('tokens are left alone: a token level name, and two structures of token instances', () => {
    const { stack } = setup();
    const arn = new CfnParameter(stack, 'InstanceArn').valueAsString;
    const instance = Instance.fromInstanceArn(stack, 'TokenInstance', arn);
    const name = new CfnParameter(stack, 'LevelName').valueAsString;
    new UserHierarchyStructure(stack, 'Levels', { instance, levels: [name] });
    const other = Instance.fromInstanceArn(stack, 'TokenInstance2', new CfnParameter(stack, 'Arn2').valueAsString);
    expect(() => new UserHierarchyStructure(stack, 'Levels2', { instance: other, levels: ['Site'] })).not.toThrow();
    Template.fromStack(stack).resourceCountIs('AWS::Connect::UserHierarchyStructure', 2);
  });
});
