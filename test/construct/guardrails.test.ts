import { App, Annotations as CdkAnnotations, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  HierarchyAccessControl, IInstance, Instance, Permission, SecurityProfile, SecurityProfileProps, TagAccessControl,
  TagRestrictedResource, UserHierarchyGroup,
  UserSelection,
} from '../../src';
import { GUARDRAIL } from '../../src/private/guardrails';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';
const OTHER_INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-2';

function setup(): { stack: Stack; instance: IInstance; group: UserHierarchyGroup } {
  const stack = new Stack(new App(), 'Stack');
  const instance = Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN);
  const group = new UserHierarchyGroup(stack, 'BpoA', { instance, userHierarchyGroupName: 'BPO-A' });
  return { stack, instance, group };
}

function profile(stack: Stack, instance: IInstance, id: string, props: Partial<SecurityProfileProps>): SecurityProfile {
  return new SecurityProfile(stack, id, { instance, securityProfileName: id, ...props });
}

function warnings(stack: Stack, id: string): string[] {
  return Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(id)).map((w) => String(w.entry.data));
}

const TAGS = { tagAccessControl: TagAccessControl.restrictToTagged({ Site: 'Lisbon' }, [TagRestrictedResource.USER]) };

describe('restricted profile that can lift its own restriction', () => {
  test.each([
    ['hierarchy', Permission.SECURITY_PROFILES_EDIT, /hierarchy-based access control but grants 'SecurityProfiles.Edit' \(Security profiles - Edit\).*lift their own restriction.*Apply hierarchy-based access control.*hierarchy-based-access-control.html/],
    ['tags', Permission.USERS_EDIT_PERMISSION, /tag-based access control but grants 'Users.EditPermission' \(Users - Edit permission\).*Apply tag-based access control.*tag-based-access-control.html/],
  ])('a %s-restricted profile with %s is a warning naming the permission and the admin guide section', (kind, permission, message) => {
    // GIVEN
    const { stack, instance, group } = setup();

    // WHEN
    profile(stack, instance, 'Supervisors', {
      permissions: [Permission.USERS_VIEW, permission],
      ...(kind === 'hierarchy' ? { hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group) } : TAGS),
    });

    // THEN
    const found = warnings(stack, GUARDRAIL.canLiftRestriction);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  test('permissions added later count; an unrestricted profile with the same permissions is not warned; acknowledging silences it', () => {
    // GIVEN
    const { stack, instance } = setup();
    profile(stack, instance, 'Supervisors', { hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup() });
    profile(stack, instance, 'Admins', { permissions: [Permission.SECURITY_PROFILES_EDIT] });
    expect(warnings(stack, GUARDRAIL.canLiftRestriction)).toHaveLength(0);

    // WHEN
    const again = setup();
    const late = profile(again.stack, again.instance, 'Supervisors', { hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(again.group) });
    late.addPermissions(Permission.SECURITY_PROFILES_CREATE);

    // THEN
    expect(warnings(again.stack, GUARDRAIL.canLiftRestriction)).toHaveLength(1);

    // WHEN acknowledged
    const acked = setup();
    const p = profile(acked.stack, acked.instance, 'Supervisors', { hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(acked.group) });
    p.addPermissions(Permission.SECURITY_PROFILES_EDIT);
    CdkAnnotations.of(p).acknowledgeWarning(GUARDRAIL.canLiftRestriction, 'break-glass supervisors');
    expect(warnings(acked.stack, GUARDRAIL.canLiftRestriction)).toHaveLength(0);
  });
});

describe('hierarchy restriction on pages it does not cover', () => {
  test('names the permissions and the pages; Users pages alone are not warned', () => {
    // GIVEN
    const { stack, instance, group } = setup();

    // WHEN
    profile(stack, instance, 'UsersOnly', {
      permissions: [Permission.USERS_VIEW, Permission.USERS_EDIT],
      hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group),
    });
    profile(stack, instance, 'Wide', {
      permissions: [Permission.USERS_VIEW, Permission.of('Queues.Edit'), Permission.of('RoutingPolicies.View')],
      hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup(),
    });

    // THEN
    const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GUARDRAIL.hierarchyNotCovered));
    expect(found.map((w) => w.id)).toEqual(['/Stack/Wide']);
    expect(String(found[0].entry.data)).toMatch(
      /grants 'Queues.Edit', 'RoutingPolicies.View', for the pages "Routing profiles", "Queues", which the hierarchy restriction does not cover: users are the only resource.*Apply hierarchy-based access control", Overview/,
    );
  });

  test('a tag-restricted profile with the same permissions is not warned by this rule', () => {
    const { stack, instance } = setup();
    profile(stack, instance, 'Tagged', { permissions: [Permission.of('Queues.Edit')], ...TAGS });
    expect(warnings(stack, GUARDRAIL.hierarchyNotCovered)).toHaveLength(0);
  });
});

describe('unrestricted user management beside restricted user management', () => {
  test('warns on the unrestricted user-management profile of the same instance only', () => {
    // GIVEN
    const { stack, instance, group } = setup();
    const other = Instance.fromInstanceArn(stack, 'Other', OTHER_INSTANCE_ARN);

    // WHEN
    profile(stack, instance, 'BpoASupervisors', {
      permissions: [Permission.USERS_VIEW, Permission.USERS_EDIT],
      hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group),
    });
    profile(stack, instance, 'Managers', { permissions: [Permission.USERS_VIEW, Permission.USERS_EDIT] });
    profile(stack, instance, 'Viewers', { permissions: [Permission.USERS_VIEW] });
    profile(stack, other, 'OtherManagers', { permissions: [Permission.USERS_EDIT] });

    // THEN
    const found = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(GUARDRAIL.unrestrictedUserManagement));
    expect(found.map((w) => w.id)).toEqual(['/Stack/Managers']);
    expect(String(found[0].entry.data)).toMatch(/manages users \('Users.Edit'\) without any access restriction, while this app restricts the user-management profile\(s\) 'Stack\/BpoASupervisors' of the same instance/);
  });

  test('no restricted user-management profile in the app: no warning', () => {
    const { stack, instance } = setup();
    profile(stack, instance, 'Managers', { permissions: [Permission.USERS_EDIT] });
    profile(stack, instance, 'Tier1', { permissions: [Permission.BASIC_AGENT_ACCESS], ...TAGS });
    expect(warnings(stack, GUARDRAIL.unrestrictedUserManagement)).toHaveLength(0);
  });

  test('synthesizing twice does not repeat a warning', () => {
    const { stack, instance, group } = setup();
    profile(stack, instance, 'Supervisors', { permissions: [Permission.SECURITY_PROFILES_EDIT], hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group) });
    const app = stack.node.root as App;
    app.synth({ force: true });
    expect(warnings(stack, GUARDRAIL.canLiftRestriction)).toHaveLength(1);
  });
});

describe('assignments that would give a user a third restricted profile', () => {
  function restricted(stack: Stack, instance: IInstance, group: UserHierarchyGroup, id: string): SecurityProfile {
    return profile(stack, instance, id, {
      permissions: [Permission.USERS_VIEW],
      hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group),
    });
  }

  test('one username listed for three restricted profiles of an instance fails synth, naming the user, the profiles and the admin guide rule', () => {
    // GIVEN
    const { stack, instance, group } = setup();
    for (const id of ['SupA', 'SupB', 'SupC']) {
      restricted(stack, instance, group, id).assignTo('Holders', { users: UserSelection.usernames(['jane', `only-${id}`]) });
    }

    // WHEN / THEN
    expect(() => Template.fromStack(stack)).toThrow(
      /the user 'jane' is assigned 3 profiles that restrict access \('Stack\/SupA', 'Stack\/SupB', 'Stack\/SupC'\), more than the two a user may hold: Connect refuses it \("Users can be assigned a maximum of two security profiles that enforce granular access control".*Remove 'jane' from all but two/);
  });

  test('two restricted profiles, or a third that restricts nothing, or one in another instance, are fine', () => {
    // GIVEN
    const { stack, instance, group } = setup();
    const other = Instance.fromInstanceArn(stack, 'Other', OTHER_INSTANCE_ARN);
    const otherGroup = new UserHierarchyGroup(stack, 'OtherGroup', { instance: other, userHierarchyGroupName: 'BPO-X' });
    const users = UserSelection.usernames(['jane']);
    restricted(stack, instance, group, 'SupA').assignTo('Holders', { users });
    restricted(stack, instance, group, 'SupB').assignTo('Holders', { users });
    profile(stack, instance, 'Agents', { permissions: [Permission.BASIC_AGENT_ACCESS] }).assignTo('Holders', { users });
    restricted(stack, other, otherGroup, 'SupElsewhere').assignTo('Holders', { users });

    // WHEN / THEN
    expect(() => Template.fromStack(stack)).not.toThrow();
  });
});
