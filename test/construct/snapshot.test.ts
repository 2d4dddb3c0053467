import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HierarchyAccessControl, Instance, Permission, SecurityProfile, TagAccessControl, TagRestrictedResource, UserHierarchyGroup } from '../../src';

/** Asset hashes change with every handler build: replace them so the snapshot shows only what we render. */
function withoutAssetHashes(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}(\.zip)?/g, (_m, zip) => `<asset hash>${zip ?? ''}`));
}

test('template snapshot: a BPO with a supervisor profile per team and a team-lead profile', () => {
  // GIVEN
  const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
  const stack = new Stack(app, 'Bpo', { env: { account: '111122223333', region: 'eu-west-2' } });
  const instance = Instance.fromInstanceId(stack, 'Instance', 'aaaabbbb-cccc-dddd-eeee-ffff00001111');
  const clientA = new UserHierarchyGroup(stack, 'ClientA', { instance, userHierarchyGroupName: 'Client A' });

  // WHEN
  new SecurityProfile(stack, 'ClientASupervisors', {
    instance,
    securityProfileName: 'Client A supervisors',
    permissions: [Permission.USERS_VIEW, Permission.ACCESS_METRICS, Permission.BASIC_AGENT_ACCESS],
    hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(clientA),
    tags: { client: 'a' },
  });
  new SecurityProfile(stack, 'TeamLeads', {
    instance,
    securityProfileName: 'Team leads',
    permissions: [Permission.USERS_VIEW],
    hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup(),
    tagAccessControl: TagAccessControl.restrictToTagged({ Site: 'Lisbon' }, [TagRestrictedResource.USER]),
  });

  // THEN
  const template = Template.fromStack(stack).toJSON();
  expect(JSON.stringify(template)).toMatch(/[0-9a-f]{64}\.zip/); // the guard below has something to replace
  expect(withoutAssetHashes(template)).toMatchSnapshot();
});
