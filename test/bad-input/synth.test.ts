/**
 * Bad input at synth time: every construct's props, imports and helpers. Each case asserts that the
 * message names the field (prop) and says how to fix it, and that nothing was added to the stack.
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import {
  ApplicationType,
  HierarchyAccessControl,
  Instance,
  Permission,
  SecurityProfile,
  SecurityProfileProps,
  TagAccessControl,
  TagRestrictedResource,
  UserHierarchyGroup,
} from '../../src';
import { DriftMetrics, DriftReconciliation } from '../../src/drift';

const INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/aaaabbbb-cccc-dddd-eeee-ffff00001111';
const OTHER_INSTANCE_ARN = 'arn:aws:connect:us-east-1:123456789012:instance/99998888-cccc-dddd-eeee-ffff00001111';

function newStack(): Stack {
  return new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
}

function profile(stack: Stack, props: Partial<SecurityProfileProps>): SecurityProfile {
  return new SecurityProfile(stack, 'Profile', {
    instance: Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN),
    securityProfileName: 'Agents',
    ...props,
  });
}

interface SynthCase {
  /** What the user got wrong. */
  readonly name: string;
  /** Builds the bad construct in `stack`. */
  readonly build: (stack: Stack) => unknown;
  /** The field the message must name. */
  readonly field: RegExp;
  /** The fix the message must give. */
  readonly fix: RegExp;
  /** Profiles the stack holds after the error (a rejected `addPermissions` leaves the profile as it was). */
  readonly profilesAfter?: number;
}

export const SYNTH_CASES: SynthCase[] = [
  {
    name: 'securityProfileName empty',
    build: (s) => profile(s, { securityProfileName: '' }),
    field: /`securityProfileName`/,
    fix: /1 to 127 characters/,
  },
  {
    name: 'securityProfileName too long',
    build: (s) => profile(s, { securityProfileName: 'x'.repeat(128) }),
    field: /`securityProfileName`/,
    fix: /shorten the name/,
  },
  {
    name: 'securityProfileName with a character Connect refuses',
    build: (s) => profile(s, { securityProfileName: 'Agents/Tier1' }),
    field: /`securityProfileName`.*'Agents\/Tier1'/,
    fix: /remove the other characters/,
  },
  {
    name: 'description over 250 characters',
    build: (s) => profile(s, { description: 'd'.repeat(251) }),
    field: /`description`.*got 251/,
    fix: /shorten it/,
  },
  {
    name: 'the same permission twice',
    build: (s) => profile(s, { permissions: [Permission.of('BasicAgentAccess'), Permission.of('BasicAgentAccess')] }),
    field: /`permissions`.*'BasicAgentAccess'/,
    fix: /remove the duplicates/,
  },
  {
    name: 'addPermissions() with a permission the profile already has',
    build: (s) => profile(s, { permissions: [Permission.of('Users.View')] }).addPermissions(Permission.of('Users.View')),
    field: /`permissions`.*'Users.View'/,
    fix: /remove the duplicates/,
    profilesAfter: 1,
  },
  {
    name: 'tagAccessControl without tagRestrictedResources',
    build: (s) => profile(s, { tagAccessControl: TagAccessControl.restrictToTagged({ Department: 'Sales' }, []) }),
    field: /`tagAccessControl`.*`tagRestrictedResources`/,
    fix: /add the resources to restrict/,
  },
  {
    name: 'tagAccessControl without allowedAccessControlTags',
    build: (s) => profile(s, { tagAccessControl: TagAccessControl.restrictToTagged({}, [TagRestrictedResource.USER]) }),
    field: /`tagAccessControl`.*`allowedAccessControlTags`/,
    fix: /give the tags a resource must carry/,
  },
  {
    name: 'more than 4 access-control tags',
    build: (s) => profile(s, {
      tagAccessControl: TagAccessControl.restrictToTagged({ a: '1', b: '2', c: '3', d: '4', e: '5' }, [TagRestrictedResource.USER]),
    }),
    field: /`tagAccessControl`.*at most 4 `allowedAccessControlTags`/,
    fix: /keep the ones that matter/,
  },
  {
    name: 'the same tag-restricted resource twice',
    build: (s) => profile(s, {
      tagAccessControl: TagAccessControl.restrictToTagged({ Department: 'Sales' }, [TagRestrictedResource.USER, TagRestrictedResource.USER]),
    }),
    field: /`tagAccessControl`.*tag-restricted resource 'User'/,
    fix: /remove the duplicates/,
  },
  {
    name: 'the owner tag key set by the user',
    build: (s) => profile(s, { tags: { 'cdk-connect-security-profiles:owner': 'me' } }),
    field: /`tags`.*cdk-connect-security-profiles:owner/,
    fix: /use another key/,
  },
  {
    name: 'a tag key with the reserved aws: prefix',
    build: (s) => profile(s, { tags: { 'aws:team': 'x' } }),
    field: /`tags` key 'aws:team'/,
    fix: /choose another key/,
  },
  {
    name: '50 tags (the owner tag needs one of Connect\'s 50)',
    build: (s) => profile(s, { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }),
    field: /`tags` may hold at most 49/,
    fix: /remove 1/,
  },
  {
    name: 'more than 10 applications',
    build: (s) => profile(s, {
      applications: Array.from({ length: 11 }, (_, i) => ({ namespace: `app-${i}`, applicationPermissions: ['ACCESS'] })),
    }),
    field: /`applications` may hold at most 10/,
    fix: /merge or drop applications/,
  },
  {
    name: 'an application without permissions',
    build: (s) => profile(s, { applications: [{ namespace: 'crm', applicationPermissions: [], type: ApplicationType.THIRD_PARTY_APPLICATION }] }),
    field: /`applications` entry 'crm'.*`applicationPermissions`/,
    fix: /add 'ACCESS'/,
  },
  {
    name: 'the same application namespace twice',
    build: (s) => profile(s, {
      applications: [{ namespace: 'crm', applicationPermissions: ['ACCESS'] }, { namespace: 'crm', applicationPermissions: ['READ'] }],
    }),
    field: /`applications` lists namespace 'crm'/,
    fix: /merge their permissions into one entry/,
  },
  {
    name: 'a hierarchy group of another instance',
    build: (s) => profile(s, {
      hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(
        UserHierarchyGroup.fromUserHierarchyGroupArn(s, 'Group', `${OTHER_INSTANCE_ARN}/agent-group/12345678-aaaa-bbbb-cccc-000000000001`)),
    }),
    field: /`hierarchyAccessControl`.*99998888/,
    fix: /pick a group of the profile's instance/,
  },
  {
    name: 'removalPolicy SNAPSHOT',
    build: (s) => profile(s, { removalPolicy: RemovalPolicy.SNAPSHOT }),
    field: /`removalPolicy`.*snapshot/i,
    fix: /RemovalPolicy.DESTROY or RemovalPolicy.RETAIN/,
  },
  {
    name: 'an instance ARN that is not one',
    build: (s) => Instance.fromInstanceArn(s, 'Bad', 'arn:aws:connect:us-east-1:123456789012:aaaabbbb'),
    field: /`instanceArn`/,
    fix: /pass the instance's full ARN.*Instance.fromInstanceId\(\)/,
  },
  {
    name: 'an ARN given where an instance id is expected',
    build: (s) => Instance.fromInstanceId(s, 'Bad', INSTANCE_ARN),
    field: /`instanceId`/,
    fix: /use Instance.fromInstanceArn\(\)/,
  },
  {
    name: 'a hierarchy group ARN that is not one',
    build: (s) => UserHierarchyGroup.fromUserHierarchyGroupArn(s, 'Bad', `${INSTANCE_ARN}/queue/1234`),
    field: /`userHierarchyGroupArn`/,
    fix: /UserHierarchyGroup.fromUserHierarchyGroupId\(\)/,
  },
  {
    name: 'an ARN given where a hierarchy group id is expected',
    build: (s) => UserHierarchyGroup.fromUserHierarchyGroupId(s, 'Bad', Instance.fromInstanceArn(s, 'I', INSTANCE_ARN), `${INSTANCE_ARN}/agent-group/1`),
    field: /`userHierarchyGroupId`/,
    fix: /UserHierarchyGroup.fromUserHierarchyGroupArn\(\)/,
  },
  {
    name: 'a hierarchy group name over 100 characters',
    build: (s) => new UserHierarchyGroup(s, 'Group', { instance: Instance.fromInstanceArn(s, 'I', INSTANCE_ARN), userHierarchyGroupName: 'g'.repeat(101) }),
    field: /`userHierarchyGroupName`/,
    fix: /shorten the name/,
  },
  {
    name: 'a parent hierarchy group of another instance',
    build: (s) => new UserHierarchyGroup(s, 'Group', {
      instance: Instance.fromInstanceArn(s, 'I', INSTANCE_ARN),
      userHierarchyGroupName: 'Team',
      parentGroup: UserHierarchyGroup.fromUserHierarchyGroupArn(s, 'Parent', `${OTHER_INSTANCE_ARN}/agent-group/12345678-aaaa-bbbb-cccc-000000000001`),
    }),
    field: /`parentGroup`/,
    fix: /pick a parent group in the same instance/,
  },
  {
    name: 'a security profile ARN that is not one',
    build: (s) => SecurityProfile.fromSecurityProfileArn(s, 'Bad', `${INSTANCE_ARN}/routing-profile/1`),
    field: /`securityProfileArn`/,
    fix: /pass the profile's full ARN/,
  },
  {
    name: 'fromSecurityProfileAttributes with neither ARN nor id',
    build: (s) => SecurityProfile.fromSecurityProfileAttributes(s, 'Bad', { securityProfileName: 'Agents' }),
    field: /`securityProfileArn`, or `instance` and `securityProfileId`/,
    fix: /add the missing attribute/,
  },
  {
    name: 'the name of a profile imported by ARN',
    build: (s) => SecurityProfile.fromSecurityProfileArn(s, 'Imported', `${INSTANCE_ARN}/security-profile/11112222-aaaa-bbbb-cccc-000000000001`).securityProfileName,
    field: /name of imported security profile/,
    fix: /pass `securityProfileName`/,
  },
  {
    name: 'a drift schedule under one minute',
    build: () => DriftReconciliation.remediate({ schedule: Duration.seconds(30) }),
    field: /`schedule`/,
    fix: /Duration.minutes\(30\)/,
  },
  {
    name: 'a drift alarm threshold of 0',
    build: (s) => DriftMetrics.of(s).createAlarm(s, 'Alarm', { threshold: 0 }),
    field: /`threshold`/,
    fix: /use 1 to alarm on any occurrence/,
  },
];

describe('bad input at synth time', () => {
  test.each(SYNTH_CASES.map((c) => [c.name, c] as const))('%s: the error names the field and the fix', (_name, c) => {
    const stack = newStack();
    let message = '';
    try {
      c.build(stack);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(c.field);
    expect(message).toMatch(c.fix);
    // and nothing half-built reached the template
    Template.fromStack(stack).resourceCountIs('Custom::ConnectSecurityProfile', c.profilesAfter ?? 0);
  });

  test('an unknown permission name is a warning that names it and says how to silence it', () => {
    const stack = newStack();
    profile(stack, { permissions: [Permission.of('BasicAgentAcess')] });
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue());
    const text = warnings.map((w) => JSON.stringify(w.entry.data)).join('\n');
    expect(text).toMatch(/`permissions` has 'BasicAgentAcess'/);
    expect(text).toMatch(/check the spelling/);
  });

  test('more than 500 permissions fails at synth with the limit and the fix', () => {
    const stack = newStack();
    profile(stack, { permissions: Array.from({ length: 501 }, (_, i) => Permission.of(`Custom.Permission${i}`)) });
    expect(() => Template.fromStack(stack)).toThrow(/`permissions` may hold at most 500 permissions, got 501: split the profile in two/);
  });
});
