/**
 * Integration test for a real AWS account (integ-runner convention): one stack builds an instance and a
 * two-level hierarchy (Company > BPO-A); a second stack, deployed after it, knows the group only by its path,
 * finds it with `UserHierarchyGroup.fromGroupPath` and restricts a security profile to it. The assertions
 * read the profile back from Connect and compare its group with the first stack's.
 *
 *   npx integ-runner --update-on-failed test/integ.group-lookup.ts   (needs AWS credentials)
 *
 * Here it is only synthesized (`npx projen integ:synth`), like test/integ.security-profile.ts.
 */
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import {
  HierarchyAccessControl, Instance, Permission, SecurityProfile, UserHierarchyGroup, UserHierarchyStructure,
} from '../src';
import { expectLiveProfile } from './support/integ-assertions';
import { integInstance } from './support/integ-instance';

const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });

// the hierarchy, made by someone else (here: another stack)
const hierarchy = new Stack(app, 'ConnectGroupLookupIntegHierarchy');
const owned = integInstance(hierarchy, 'cdk-connect-sp-integ-lookup');
const levels = new UserHierarchyStructure(hierarchy, 'Levels', { instance: owned, levels: ['Company', 'Partner'] });
const company = new UserHierarchyGroup(hierarchy, 'Company', { instance: owned, userHierarchyGroupName: 'Company', hierarchyStructure: levels });
const bpoA = new UserHierarchyGroup(hierarchy, 'BpoA', { instance: owned, userHierarchyGroupName: 'BPO-A', parentGroup: company });

// the app under test: the instance by ARN, the group by its path
const stack = new Stack(app, 'ConnectGroupLookupInteg');
stack.addDependency(hierarchy);
const instance = Instance.fromInstanceArn(stack, 'Instance', owned.instanceArn);
const found = UserHierarchyGroup.fromGroupPath(stack, 'BpoA', instance, ['Company', 'BPO-A']);
const supervisors = new SecurityProfile(stack, 'BpoASupervisors', {
  instance,
  securityProfileName: 'BPO-A supervisors',
  permissions: [Permission.USERS_VIEW],
  hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(found),
});

const integ = new IntegTest(app, 'GroupLookupInteg', { testCases: [hierarchy, stack] });

expectLiveProfile(integ, supervisors, instance.instanceId, {
  described: {
    SecurityProfileName: 'BPO-A supervisors',
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: bpoA.userHierarchyGroupId,
  },
});

app.synth();
