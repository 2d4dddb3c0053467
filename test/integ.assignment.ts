/**
 * Integration test for a real AWS account (integ-runner convention): an instance with a BPO-A hierarchy group,
 * two users (one in BPO-A, one outside any group) holding an agent profile, and a supervisor profile whose
 * holders are declared as "the users of BPO-A" (`assignTo`). The assertions read the users back with
 * DescribeUser: the BPO-A user holds both profiles, the other only the agent profile.
 *
 *   npx integ-runner --update-on-failed test/integ.assignment.ts   (needs AWS credentials)
 *
 * Here it is only synthesized (`npx projen integ:synth`), like the other integ tests. The instance uses SAML so
 * the users need no password in the template.
 */
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Fn, Stack } from 'aws-cdk-lib';
import { CfnHoursOfOperation, CfnQueue, CfnRoutingProfile, CfnUser } from 'aws-cdk-lib/aws-connect';
import {
  DriftReconciliation, HierarchyGroupMatchType, Permission, SecurityProfile, UserAttributeFilter, UserHierarchyGroup,
  UserHierarchyStructure, UserSelection,
} from '../src';
import { integInstance } from './support/integ-instance';

const app = new App({ context: { 'aws:cdk:disable-creation-stack-traces': true } });
const stack = new Stack(app, 'ConnectAssignmentInteg');

const instance = integInstance(stack, 'cdk-connect-sp-integ-holders', 'SAML');
const levels = new UserHierarchyStructure(stack, 'Levels', { instance, levels: ['BPO'] });
const bpoA = new UserHierarchyGroup(stack, 'BpoA', { instance, userHierarchyGroupName: 'BPO-A', hierarchyStructure: levels });

// what a user needs in Connect: a routing profile (and its queue and hours)
const hours = new CfnHoursOfOperation(stack, 'Hours', {
  instanceArn: instance.instanceArn,
  name: 'Always',
  timeZone: 'UTC',
  config: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'].map((day) => ({
    day, startTime: { hours: 0, minutes: 0 }, endTime: { hours: 23, minutes: 59 },
  })),
});
const queue = new CfnQueue(stack, 'Queue', { instanceArn: instance.instanceArn, name: 'Integ', hoursOfOperationArn: hours.attrHoursOfOperationArn });
const routing = new CfnRoutingProfile(stack, 'Routing', {
  instanceArn: instance.instanceArn,
  name: 'Integ',
  description: 'integration test',
  defaultOutboundQueueArn: queue.attrQueueArn,
  mediaConcurrencies: [{ channel: 'VOICE', concurrency: 1 }],
});

const agents = new SecurityProfile(stack, 'Agents', { instance, securityProfileName: 'Integ agents', permissions: [Permission.BASIC_AGENT_ACCESS] });
const user = (id: string, username: string, group?: UserHierarchyGroup) => new CfnUser(stack, id, {
  instanceArn: instance.instanceArn,
  username,
  routingProfileArn: routing.attrRoutingProfileArn,
  securityProfileArns: [agents.securityProfileArn],
  hierarchyGroupArn: group?.userHierarchyGroupArn,
  identityInfo: { firstName: username, lastName: 'Integ' },
  phoneConfig: { phoneType: 'SOFT_PHONE' },
});
const inBpoA = user('Ann', 'ann', bpoA);
const outside = user('Bob', 'bob');

const supervisors = new SecurityProfile(stack, 'Supervisors', { instance, securityProfileName: 'Integ supervisors', permissions: [Permission.USERS_VIEW] });
const holders = supervisors.assignTo('Holders', {
  users: UserSelection.matching(UserAttributeFilter.hierarchyGroup(bpoA, HierarchyGroupMatchType.WITH_CHILD_GROUPS)),
  driftReconciliation: DriftReconciliation.remediate(),
});
// the users must exist before their holders are computed
holders.node.addDependency(inBpoA, outside);

/** The user id: the last part of `arn:...:instance/<instanceId>/agent/<userId>`. */
const userIdOf = (u: CfnUser) => Fn.select(3, Fn.split('/', u.attrUserArn));

const integ = new IntegTest(app, 'AssignmentInteg', { testCases: [stack] });
integ.assertions
  .awsApiCall('Connect', 'DescribeUser', { InstanceId: instance.instanceId, UserId: userIdOf(inBpoA) })
  .expect(ExpectedResult.objectLike({
    User: { SecurityProfileIds: Match.arrayWith([agents.securityProfileId, supervisors.securityProfileId]) },
  }));
integ.assertions
  .awsApiCall('Connect', 'DescribeUser', { InstanceId: instance.instanceId, UserId: userIdOf(outside) })
  .expect(ExpectedResult.objectLike({ User: { SecurityProfileIds: [agents.securityProfileId] } }));

app.synth();
