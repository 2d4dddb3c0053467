/**
 * Integration test for a real AWS account (integ-runner convention): a Connect instance, a two-level
 * hierarchy and two security profiles, one restricted to a group and one to each user's own group.
 * The assertions read the profiles back from Connect.
 *
 *   npx integ-runner --update-on-failed test/integ.security-profile.ts   (needs AWS credentials)
 *
 * Here it is only synthesized (`npx projen integ:synth`): the newest integ-runner (2.197) reads cloud
 * assembly schema 53, and aws-cdk-lib 2.276 writes schema 55.
 */
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  HierarchyAccessControl, Permission, SecurityProfile, TagAccessControl, TagRestrictedResource, UserHierarchyGroup, UserHierarchyStructure,
} from '../src';
import { expectLiveProfile } from './support/integ-assertions';
import { integInstance } from './support/integ-instance';

const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'ConnectSecurityProfileInteg');

const instance = integInstance(stack, 'cdk-connect-sp-integ');

// a fresh instance has no hierarchy levels: groups need them first
const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['Site', 'Client'] });
const site = new UserHierarchyGroup(stack, 'Site', { instance, userHierarchyGroupName: 'Lisbon', hierarchyStructure: levels });
const clientA = new UserHierarchyGroup(stack, 'ClientA', { instance, userHierarchyGroupName: 'Client A', parentGroup: site });

const supervisors = new SecurityProfile(stack, 'ClientASupervisors', {
  instance,
  securityProfileName: 'Client A supervisors',
  description: 'Supervisors of client A see only client A users',
  permissions: [Permission.USERS_VIEW, Permission.USERS_EDIT, Permission.ACCESS_METRICS],
  hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(clientA),
  tags: { client: 'a' },
});

const teamLeads = new SecurityProfile(stack, 'TeamLeads', {
  instance,
  securityProfileName: 'Team leads',
  permissions: [Permission.USERS_VIEW],
  hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup(),
  tagAccessControl: TagAccessControl.restrictToTagged({ Site: 'Lisbon' }, [TagRestrictedResource.USER]),
  removalPolicy: RemovalPolicy.DESTROY,
});

const integ = new IntegTest(app, 'SecurityProfileInteg', { testCases: [stack] });

expectLiveProfile(integ, supervisors, instance.instanceId, {
  described: {
    SecurityProfileName: 'Client A supervisors',
    Description: 'Supervisors of client A see only client A users',
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: clientA.userHierarchyGroupId,
    Tags: Match.objectLike({ client: 'a' }),
  },
  permissions: Match.arrayWith(['AccessMetrics', 'Users.Edit', 'Users.View']),
});

expectLiveProfile(integ, teamLeads, instance.instanceId, {
  described: {
    SecurityProfileName: 'Team leads',
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlTags: { Site: 'Lisbon' },
    TagRestrictedResources: ['User'],
  },
  permissions: ['Users.View'],
});

app.synth();
