import { App, CfnElement, CfnResource, CustomResource, Annotations as CdkAnnotations, Lazy, RemovalPolicies, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AiAgentType, ApplicationType, FlowModuleType, HierarchyAccessControl, IInstance, Instance, Permission, PrimaryAttributeAccessType, SecurityProfile,
  SecurityProfileProps, TagAccessControl, TagRestrictedResource, UserHierarchyGroup,
} from '../../src';
import { ASSIGNMENT_HANDLER_ACTIONS } from '../../src/private/assignment-contract';
import { CONNECT_OPERATIONS } from '../../src/private/connect-operations';
import { OWNER_TAG_KEY, RESOURCE_TYPE } from '../../src/private/contract';
import { RECONCILER_ACTIONS } from '../../src/private/drift-resources';
import { GROUP_LOOKUP_ACTIONS, HANDLER_ACTIONS } from '../../src/private/provider';
import { instanceScoped } from '../support/templates';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';
const OTHER_INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-2';

function setup(): { stack: Stack; instance: IInstance } {
  const stack = new Stack(new App(), 'Stack');
  return { stack, instance: Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN) };
}

function profile(stack: Stack, props: Partial<SecurityProfileProps> = {}, id = 'Profile'): SecurityProfile {
  return new SecurityProfile(stack, id, {
    instance: Instance.fromInstanceArn(stack, `${id}Instance`, INSTANCE_ARN),
    securityProfileName: 'Agents',
    ...props,
  });
}

describe('rendering', () => {
  test('a minimal profile renders the contract keys, and only those it needs', () => {
    // GIVEN
    const { stack, instance } = setup();

    // WHEN
    new SecurityProfile(stack, 'Profile', { instance, securityProfileName: 'Agents' });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(RESOURCE_TYPE, 1);
    template.hasResource(RESOURCE_TYPE, {
      Properties: {
        ServiceToken: Match.anyValue(),
        ContractVersion: '1',
        InstanceArn: INSTANCE_ARN,
        SecurityProfileName: 'Agents',
        RemovalPolicy: 'Delete',
        Description: Match.absent(),
        Permissions: Match.absent(),
        Tags: Match.absent(),
        AllowedAccessControlTags: Match.absent(),
        TagRestrictedResources: Match.absent(),
        Applications: Match.absent(),
        HierarchyRestrictedResources: Match.absent(),
        AllowedAccessControlHierarchyGroupId: Match.absent(),
        AllowedFlowModules: Match.absent(),
        GranularAccessControlConfiguration: Match.absent(),
        AllowedAIAgents: Match.absent(),
        AdoptExisting: Match.absent(),
        // drift reconciliation is on by default (DriftReconciliation.remediate())
        DriftMode: 'REMEDIATE',
      },
      // CloudFormation's default deletion: the handler is always called on delete
      DeletionPolicy: 'Delete',
    });
  });

  test('every field renders in the API\'s own words', () => {
    // GIVEN
    const { stack, instance } = setup();

    // WHEN
    new SecurityProfile(stack, 'Profile', {
      instance,
      securityProfileName: 'Team A supervisors',
      description: 'Supervisors of team A',
      permissions: [Permission.USERS_VIEW, Permission.BASIC_AGENT_ACCESS],
      tags: { team: 'a' },
      tagAccessControl: TagAccessControl.restrictToTagged({ Department: 'Support' }, [TagRestrictedResource.USER, TagRestrictedResource.of('Queue')]),
      applications: [{ namespace: 'my.app', applicationPermissions: ['ACCESS'], type: ApplicationType.THIRD_PARTY_APPLICATION }],
      allowedFlowModules: [{ type: FlowModuleType.MCP, flowModuleId: 'fm-1' }],
      granularAccessControlConfiguration: {
        dataTableAccessControlConfiguration: {
          primaryAttributeAccessControlConfiguration: {
            primaryAttributeValues: [{ attributeName: 'region', values: ['emea'] }],
          },
        },
      },
      allowedAIAgents: [{ aiAgentArn: 'arn:aws:wisdom:eu-west-2:111122223333:ai-agent/a/b', type: AiAgentType.THIRD_PARTY }],
      removalPolicy: RemovalPolicy.RETAIN,
      adoptExisting: true,
    });

    // THEN
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      SecurityProfileName: 'Team A supervisors',
      Description: 'Supervisors of team A',
      Permissions: ['BasicAgentAccess', 'Users.View'],
      Tags: { team: 'a' },
      AllowedAccessControlTags: { Department: 'Support' },
      TagRestrictedResources: ['User', 'Queue'],
      Applications: [{ Namespace: 'my.app', ApplicationPermissions: ['ACCESS'], Type: 'THIRD_PARTY_APPLICATION' }],
      AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'fm-1' }],
      GranularAccessControlConfiguration: {
        DataTableAccessControlConfiguration: {
          PrimaryAttributeAccessControlConfiguration: {
            PrimaryAttributeValues: [{ AccessType: PrimaryAttributeAccessType.ALLOW, AttributeName: 'region', Values: ['emea'] }],
          },
        },
      },
      AllowedAIAgents: [{ Arn: 'arn:aws:wisdom:eu-west-2:111122223333:ai-agent/a/b', Type: 'THIRD_PARTY' }],
      RemovalPolicy: 'Retain',
      AdoptExisting: 'true',
    });
  });

  test('empty flow module and AI agent lists render (managed and kept empty)', () => {
    const { stack } = setup();
    profile(stack, { allowedFlowModules: [], allowedAIAgents: [] });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { AllowedFlowModules: [], AllowedAIAgents: [] });
  });

  test('restrictToGroup renders the group id and the restricted resources', () => {
    // GIVEN
    const { stack, instance } = setup();
    const group = new UserHierarchyGroup(stack, 'TeamA', { instance, userHierarchyGroupName: 'Team A' });

    // WHEN
    profile(stack, { hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group) });

    // THEN
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: {
        'Fn::Select': [3, { 'Fn::Split': ['/', { 'Fn::GetAtt': [stack.getLogicalId(group.node.defaultChild as CfnElement), 'UserHierarchyGroupArn'] }] }],
      },
    });
  });

  test('restrictToGroup with an imported group renders its id', () => {
    const { stack, instance } = setup();
    const group = UserHierarchyGroup.fromUserHierarchyGroupId(stack, 'Imported', instance, 'grp-9');
    profile(stack, { hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group) });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: 'grp-9',
    });
  });

  test('restrictToUsersOwnGroup renders restricted resources without a group', () => {
    const { stack } = setup();
    profile(stack, { hierarchyAccessControl: HierarchyAccessControl.restrictToUsersOwnGroup() });
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      HierarchyRestrictedResources: ['User'],
      AllowedAccessControlHierarchyGroupId: Match.absent(),
    });
  });

  test('addPermissions after construction renders sorted', () => {
    // GIVEN
    const { stack } = setup();
    const p = profile(stack, { permissions: [Permission.USERS_VIEW] });

    // WHEN
    p.addPermissions(Permission.ACCESS_METRICS, Permission.BASIC_AGENT_ACCESS);

    // THEN
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, {
      Permissions: ['AccessMetrics', 'BasicAgentAccess', 'Users.View'],
    });
  });

  test('Tags.of() adds to the declared tags', () => {
    // GIVEN
    const { stack } = setup();
    profile(stack, { tags: { team: 'a' } });

    // WHEN
    Tags.of(stack).add('env', 'prod');

    // THEN
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { Tags: { team: 'a', env: 'prod' } });
  });

  test('attributes come from the handler', () => {
    const { stack } = setup();
    const p = profile(stack);
    const logicalId = stack.getLogicalId(p.node.findChild('Resource').node.defaultChild as CfnElement);
    expect(stack.resolve(p.securityProfileId)).toEqual({ 'Fn::GetAtt': [logicalId, 'SecurityProfileId'] });
    expect(stack.resolve(p.securityProfileArn)).toEqual({ 'Fn::GetAtt': [logicalId, 'SecurityProfileArn'] });
    expect(stack.resolve(p.securityProfileName)).toEqual({ 'Fn::GetAtt': [logicalId, 'SecurityProfileName'] });
    expect(p.instanceArn).toBe(INSTANCE_ARN);
  });

  test('tokens pass validation', () => {
    // GIVEN
    const { stack } = setup();
    const token = (s: string) => Lazy.string({ produce: () => s });

    // WHEN
    new SecurityProfile(stack, 'Profile', {
      instance: Instance.fromInstanceArn(stack, 'TokenInstance', token(INSTANCE_ARN)),
      securityProfileName: token('a name with $ÿmbols that only Connect judges'),
      description: token('d'.repeat(300)),
      permissions: [Permission.of(token('Whatever'))],
      tagAccessControl: TagAccessControl.restrictToTagged({ Department: token('x'.repeat(300)) }, [TagRestrictedResource.of(token('User'))]),
    });

    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('unknownPermission'))).toHaveLength(0);
    Template.fromStack(stack).hasResourceProperties(RESOURCE_TYPE, { SecurityProfileName: 'a name with $ÿmbols that only Connect judges' });
  });
});

describe('provider', () => {
  test('one handler for two profiles in a stack', () => {
    // GIVEN
    const { stack } = setup();

    // WHEN
    profile(stack, {}, 'One');
    profile(stack, { securityProfileName: 'Two' }, 'Two');

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs(RESOURCE_TYPE, 2);
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.onEvent' }, 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.onEvent',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 600,
      Environment: { Variables: { CONNECT_RATE_LIMIT_PER_SECOND: '2', CONNECT_RATE_LIMIT_BURST: '5', CONNECT_MAX_ATTEMPTS: '8' } },
      LoggingConfig: { LogGroup: Match.anyValue() },
    });
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('profiles in two instances scope the policy to both, and to nothing else', () => {
    // GIVEN
    const { stack } = setup();

    // WHEN
    profile(stack, {}, 'One');
    profile(stack, {}, 'OneAgain');
    profile(stack, { instance: Instance.fromInstanceArn(stack, 'Other', OTHER_INSTANCE_ARN) }, 'Two');

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Action: Match.arrayWith(['connect:CreateSecurityProfile', 'connect:UpdateSecurityProfile', 'connect:DeleteSecurityProfile']),
          Resource: instanceScoped([INSTANCE_ARN, OTHER_INSTANCE_ARN], 'security-profile', 'agent-group'),
        }, {
          // the tag calls on the profiles only
          Effect: 'Allow',
          Action: ['connect:TagResource', 'connect:UntagResource'],
          Resource: [`${INSTANCE_ARN}/security-profile/*`, `${OTHER_INSTANCE_ARN}/security-profile/*`],
        }]),
      },
    });
    // no connect action on '*'
    const policies = template.findResources('AWS::IAM::Policy');
    for (const policy of Object.values(policies)) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        const actions: string[] = [].concat(statement.Action);
        const resources: unknown[] = [].concat(statement.Resource);
        if (actions.some((a) => a.startsWith('connect:'))) {
          expect(resources).not.toContain('*');
        }
      }
    }
    // the handler role has no managed policy
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: Match.stringLikeRegexp('Amazon Connect security profiles'),
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('each stack gets its own provider', () => {
    const app = new App();
    const a = new Stack(app, 'A');
    const b = new Stack(app, 'B');
    profile(a);
    profile(b);
    Template.fromStack(a).resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.onEvent' }, 1);
    Template.fromStack(b).resourcePropertiesCountIs('AWS::Lambda::Function', { Handler: 'index.onEvent' }, 1);
  });
});

describe('validation', () => {
  test.each([
    ['a name over 127 characters', { securityProfileName: 'x'.repeat(128) }, /`securityProfileName` must be 1 to 127 characters, got 128 \('x+\.\.\.'\): shorten the name/],
    ['an empty name', { securityProfileName: '' }, /`securityProfileName` must be 1 to 127 characters, got 0/],
    ['a name with other characters', { securityProfileName: 'Agents/EMEA' }, /`securityProfileName` may hold only letters, digits, spaces, '_', '@' and '-', got 'Agents\/EMEA': remove the other characters/],
    ['a description over 250 characters', { description: 'd'.repeat(251) }, /`description` must be at most 250 characters, got 251: shorten it/],
    ['tag-based access control without tags', { tagAccessControl: TagAccessControl.restrictToTagged({}, [TagRestrictedResource.USER]) }, /`tagAccessControl` has no `allowedAccessControlTags`, so it would restrict nothing: give the tags a resource must carry, or leave `tagAccessControl` out/],
    ['tag-based access control without restricted resources', { tagAccessControl: TagAccessControl.restrictToTagged({ Department: 'Support' }, []) }, /`tagAccessControl` has no `tagRestrictedResources`, so its tags would restrict nothing: add the resources to restrict, for example \[TagRestrictedResource.USER\]/],
    ['5 access-control tags', { tagAccessControl: TagAccessControl.restrictToTagged({ a: '1', b: '2', c: '3', d: '4', e: '5' }, [TagRestrictedResource.USER]) }, /`tagAccessControl` may hold at most 4 `allowedAccessControlTags`, got 5 \(a, b, c, d, e\): a resource must carry all of them/],
    ['11 tag-restricted resources', { tagAccessControl: TagAccessControl.restrictToTagged({ a: '1' }, Array.from({ length: 11 }, (_, i) => TagRestrictedResource.of(`R${i}`))) }, /`tagAccessControl` may hold at most 10 `tagRestrictedResources`, got 11: remove some/],
    ['duplicate tag-restricted resources', { tagAccessControl: TagAccessControl.restrictToTagged({ a: '1' }, [TagRestrictedResource.USER, TagRestrictedResource.USER]) }, /`tagAccessControl` lists tag-restricted resource 'User' more than once: remove the duplicates/],
    ['an access-control tag value over 256 characters', { tagAccessControl: TagAccessControl.restrictToTagged({ Department: 'x'.repeat(257) }, [TagRestrictedResource.USER]) }, /`tagAccessControl` value of tag 'Department' must be at most 256 characters, got 257: shorten it/],
    ['11 applications', { applications: Array.from({ length: 11 }, (_, i) => ({ namespace: `app${i}`, applicationPermissions: ['ACCESS'] })) }, /`applications` may hold at most 10 entries, got 11/],
    ['an application without permissions', { applications: [{ namespace: 'app', applicationPermissions: [] }] }, /`applications` entry 'app' must have 1 to 50 `applicationPermissions`, got 0: add 'ACCESS'/],
    ['50 tags (the ownership tag takes one of 50)', { tags: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'])) }, /`tags` may hold at most 49 tags, got 50: .*ownership tag 'cdk-connect-security-profiles:owner' takes one; remove 1/],
    ['the ownership tag', { tags: { [OWNER_TAG_KEY]: 'mine' } }, /`tags` must not set 'cdk-connect-security-profiles:owner'/],
    ['an aws: tag', { tags: { 'aws:x': 'y' } }, /`tags` key 'aws:x' uses the reserved 'aws:' prefix/],
    ['11 flow modules', { allowedFlowModules: Array.from({ length: 11 }, (_, i) => ({ type: FlowModuleType.MCP, flowModuleId: `m${i}` })) }, /`allowedFlowModules` may hold at most 10 entries, got 11/],
    ['a snapshot removal policy', { removalPolicy: RemovalPolicy.SNAPSHOT }, /`removalPolicy` must be RemovalPolicy.DESTROY or RemovalPolicy.RETAIN, got snapshot/],
  ] as Array<[string, Partial<SecurityProfileProps>, RegExp]>)('fails on %s', (_name, props, message) => {
    const { stack } = setup();
    expect(() => profile(stack, props)).toThrow(message);
  });

  test('boundaries pass: 127-character name, 250-character description, 4 access-control tags on 10 resource types, 10 applications, 49 tags', () => {
    const { stack } = setup();
    expect(() => profile(stack, {
      securityProfileName: 'x'.repeat(127),
      description: 'd'.repeat(250),
      tagAccessControl: TagAccessControl.restrictToTagged({ a: '1', b: '2', c: '3', d: '4' }, Array.from({ length: 10 }, (_, i) => TagRestrictedResource.of(`R${i}`))),
      applications: Array.from({ length: 10 }, (_, i) => ({ namespace: `app${i}`, applicationPermissions: ['ACCESS'] })),
      tags: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v'])),
    })).not.toThrow();
  });

  test('lengths are counted in code points, as Connect and the handler count them', () => {
    // U+1F600 is one code point and two UTF-16 units
    const emoji = '\u{1F600}';
    const { stack } = setup();
    expect(() => profile(stack, {
      description: emoji.repeat(250),
      tags: { team: emoji.repeat(256) },
      tagAccessControl: TagAccessControl.restrictToTagged({ Department: emoji.repeat(256) }, [TagRestrictedResource.USER]),
    })).not.toThrow();
    expect(() => profile(stack, { description: emoji.repeat(251) }, 'Long'))
      .toThrow(/`description` must be at most 250 characters, got 251: shorten it/);
    expect(() => profile(stack, { tags: { team: emoji.repeat(257) } }, 'LongTag'))
      .toThrow(/`tags` value of 'team' must be at most 256 characters, got 257/);
  });

  test('tags added with Tags.of() count toward the limit at synth', () => {
    // GIVEN
    const { stack } = setup();
    profile(stack, { tags: Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v'])) });

    // WHEN
    Tags.of(stack).add('one-too-many', 'x');

    // THEN
    expect(() => Template.fromStack(stack)).toThrow(/`tags` may hold at most 49 tags, got 50/);
  });

  test('a hierarchy group of another instance fails', () => {
    const { stack } = setup();
    const group = UserHierarchyGroup.fromUserHierarchyGroupArn(stack, 'G', `${OTHER_INSTANCE_ARN}/agent-group/g`);
    expect(() => profile(stack, { hierarchyAccessControl: HierarchyAccessControl.restrictToGroup(group) }))
      .toThrow(/`hierarchyAccessControl` names a group of instance '.*inst-2', but the profile belongs to '.*inst-1': pick a group of the profile's instance/);
  });

  test('duplicate permissions fail, in props and through addPermissions', () => {
    const { stack } = setup();
    expect(() => profile(stack, { permissions: [Permission.USERS_VIEW, Permission.of('Users.View')] }, 'A'))
      .toThrow(/`permissions` lists 'Users.View' more than once: remove the duplicates/);
    const p = profile(stack, { permissions: [Permission.USERS_VIEW] }, 'B');
    expect(() => p.addPermissions(Permission.USERS_VIEW)).toThrow(/`permissions` lists 'Users.View' more than once/);
  });

  test('more than 500 permissions fail at synth, 500 pass', () => {
    // GIVEN
    const { stack } = setup();
    profile(stack, { permissions: Array.from({ length: 500 }, (_, i) => Permission.of(`Custom${i}.View`)) });
    expect(() => Template.fromStack(stack)).not.toThrow();
    const stack2 = setup().stack;
    const p2 = profile(stack2, { permissions: Array.from({ length: 500 }, (_, i) => Permission.of(`Custom${i}.View`)) });

    // WHEN
    p2.addPermissions(Permission.USERS_VIEW);

    // THEN
    expect(() => Template.fromStack(stack2)).toThrow(/`permissions` may hold at most 500 permissions, got 501: split the profile/);
  });

  test('an unknown permission name is a warning that can be acknowledged; known and older names are not', () => {
    // GIVEN
    const { stack } = setup();

    // WHEN
    profile(stack, { permissions: [Permission.of('Users.Veiw'), Permission.of('EmailAddresses.View'), Permission.USERS_VIEW] });

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('permissions'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toMatch(/`permissions` has 'Users.Veiw', which is not in the documented list of security profile permissions: check the spelling/);

    // WHEN acknowledged
    const stack2 = setup().stack;
    const p2 = profile(stack2, { permissions: [Permission.of('Users.Veiw')] });
    CdkAnnotations.of(p2).acknowledgeWarning('cdk-connect-security-profiles:unknownPermission', 'a permission newer than the catalogue');
    expect(Annotations.fromStack(stack2).findWarning('*', Match.stringLikeRegexp('permissions'))).toHaveLength(0);
  });

  test('more than 100 profiles for one instance in an app is one warning naming the quota', () => {
    // GIVEN
    const { stack } = setup();

    // WHEN
    for (let i = 0; i < 101; i++) profile(stack, { securityProfileName: `P${i}` }, `P${i}`);
    profile(stack, { instance: Instance.fromInstanceArn(stack, 'SecondInstance', OTHER_INSTANCE_ARN) }, 'Other');

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Security profiles per instance'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].id).toBe('/Stack/P100');
    expect(warnings[0].entry.data).toMatch(/more than 100 security profiles for instance .*inst-1: .*request an increase \(Service Quotas code L-F325A715\)/);
  });

  test('100 profiles for one instance draw no warning', () => {
    const { stack } = setup();
    for (let i = 0; i < 100; i++) profile(stack, { securityProfileName: `P${i}` }, `P${i}`);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('Security profiles per instance'))).toHaveLength(0);
  });
});

describe('imports', () => {
  const PROFILE_ARN = `${INSTANCE_ARN}/security-profile/prof-1`;

  test('fromSecurityProfileArn reads the id and the instance, and never invents a name', () => {
    const imported = SecurityProfile.fromSecurityProfileArn(new Stack(), 'P', PROFILE_ARN);
    expect(imported.securityProfileArn).toBe(PROFILE_ARN);
    expect(imported.securityProfileId).toBe('prof-1');
    expect(imported.instanceArn).toBe(INSTANCE_ARN);
    expect(() => imported.securityProfileName).toThrow(/the name of imported security profile 'Default\/P' is unknown .*pass `securityProfileName`/);
  });

  test('fromSecurityProfileArn fails on another ARN', () => {
    expect(() => SecurityProfile.fromSecurityProfileArn(new Stack(), 'P', `${INSTANCE_ARN}/agent-group/g`))
      .toThrow(/`securityProfileArn` must look like .*\/security-profile\/<securityProfileId>, got '.*agent-group\/g'/);
  });

  test('fromSecurityProfileAttributes with instance, id and name', () => {
    const stack = new Stack();
    const imported = SecurityProfile.fromSecurityProfileAttributes(stack, 'P', {
      instance: Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN), securityProfileId: 'prof-1', securityProfileName: 'Agents',
    });
    expect(imported.securityProfileArn).toBe(PROFILE_ARN);
    expect(imported.securityProfileName).toBe('Agents');
  });

  test('fromSecurityProfileAttributes without an ARN or an instance and id fails', () => {
    expect(() => SecurityProfile.fromSecurityProfileAttributes(new Stack(), 'P', { securityProfileId: 'prof-1' }))
      .toThrow(/needs `securityProfileArn`, or `instance` and `securityProfileId`; got `securityProfileId`: add the missing attribute/);
  });

  test('grantRead grants the read actions on the profile only', () => {
    // GIVEN
    const stack = new Stack();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });

    // WHEN
    SecurityProfile.fromSecurityProfileArn(stack, 'P', PROFILE_ARN).grantRead(role);

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['connect:DescribeSecurityProfile', 'connect:ListSecurityProfilePermissions', 'connect:ListSecurityProfileApplications', 'connect:ListTagsForResource'],
          Resource: PROFILE_ARN,
        }],
      },
    });
  });
});

describe('IAM follows the handler', () => {
  test('the handler, the reconciler and the group lookups together are granted every Connect operation the gateway may send (SearchUsers included: delete-in-use names the holders), and nothing else', () => {
    // GIVEN the operations the gateway may send (it refuses any other: test/handler/connect-api.test.ts)
    const used = new Set(CONNECT_OPERATIONS.map((operation) => `connect:${operation}`));

    // WHEN
    const { stack } = setup();
    profile(stack);

    // THEN
    const known = new Set([...HANDLER_ACTIONS, ...RECONCILER_ACTIONS, ...GROUP_LOOKUP_ACTIONS, ...ASSIGNMENT_HANDLER_ACTIONS]);
    expect([...known].sort()).toEqual([...used].sort());
    const handlerPolicy = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))
      .find((p) => JSON.stringify(p.Properties.Roles).includes('HandlerRole'));
    const granted = handlerPolicy!.Properties.PolicyDocument.Statement
      .flatMap((st: { Action: string | string[] }) => [].concat(st.Action as never))
      .filter((a: string) => a.startsWith('connect:'));
    expect([...granted].sort()).toEqual([...HANDLER_ACTIONS].sort());
  });
});

describe('removal policy, the CDK way', () => {
  /** The profile's custom resource as the template renders it: its handler property and its DeletionPolicy. */
  function removal(stack: Stack, id = 'Profile'): { property: unknown; deletionPolicy: unknown } {
    const resources = Template.fromStack(stack).findResources(RESOURCE_TYPE);
    const logicalId = Object.keys(resources).find((key) => key.startsWith(id));
    expect(logicalId).toBeDefined();
    const resource = resources[logicalId!];
    return { property: resource.Properties.RemovalPolicy, deletionPolicy: resource.DeletionPolicy };
  }

  test.each([
    [RemovalPolicy.RETAIN, 'Retain'],
    [RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE, 'Retain'],
    [RemovalPolicy.DESTROY, 'Delete'],
  ])('profile.applyRemovalPolicy(%s) reaches the handler as %s; the DeletionPolicy stays Delete', (policy, expected) => {
    // GIVEN
    const { stack } = setup();
    const p = profile(stack);

    // WHEN
    p.applyRemovalPolicy(policy);

    // THEN
    expect(removal(stack)).toEqual({ property: expected, deletionPolicy: 'Delete' });
  });

  test('applyRemovalPolicy overrides the prop (the last one applied wins)', () => {
    const { stack } = setup();
    profile(stack, { removalPolicy: RemovalPolicy.RETAIN }).applyRemovalPolicy(RemovalPolicy.DESTROY);
    expect(removal(stack)).toEqual({ property: 'Delete', deletionPolicy: 'Delete' });
  });

  test('RemovalPolicies.of(stack).retain() reaches the handler; the DeletionPolicy stays Delete', () => {
    // GIVEN
    const { stack } = setup();
    profile(stack);

    // WHEN
    RemovalPolicies.of(stack).retain();

    // THEN
    expect(removal(stack)).toEqual({ property: 'Retain', deletionPolicy: 'Delete' });
  });

  test('RemovalPolicies.of(scope).destroy() over a retained prop deletes', () => {
    const { stack } = setup();
    profile(stack, { removalPolicy: RemovalPolicy.RETAIN });
    RemovalPolicies.of(stack).destroy();
    expect(removal(stack)).toEqual({ property: 'Delete', deletionPolicy: 'Delete' });
  });

  test('RemovalPolicies honours excludeResourceTypes and applyToResourceTypes', () => {
    const { stack } = setup();
    profile(stack, {}, 'Excluded');
    RemovalPolicies.of(stack).retain({ excludeResourceTypes: [RESOURCE_TYPE] });
    expect(removal(stack, 'Excluded')).toEqual({ property: 'Delete', deletionPolicy: 'Delete' });

    const other = setup().stack;
    profile(other, {}, 'Included');
    RemovalPolicies.of(other).retain({ applyToResourceTypes: [RESOURCE_TYPE] });
    expect(removal(other, 'Included')).toEqual({ property: 'Retain', deletionPolicy: 'Delete' });
  });

  test('the escape hatch (the CustomResource child and its CfnResource) reaches the handler too', () => {
    const viaCustomResource = setup().stack;
    (profile(viaCustomResource).node.findChild('Resource') as CustomResource).applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(removal(viaCustomResource)).toEqual({ property: 'Retain', deletionPolicy: 'Delete' });

    const viaL1 = setup().stack;
    const p = profile(viaL1, { removalPolicy: RemovalPolicy.RETAIN });
    (p.node.findChild('Resource').node.defaultChild as CfnResource).applyRemovalPolicy(RemovalPolicy.DESTROY);
    expect(removal(viaL1)).toEqual({ property: 'Delete', deletionPolicy: 'Delete' });
  });

  test('fails on a snapshot policy, directly or through RemovalPolicies, naming the fix', () => {
    const { stack } = setup();
    const p = profile(stack);
    expect(() => p.applyRemovalPolicy(RemovalPolicy.SNAPSHOT))
      .toThrow(/SecurityProfile 'Stack\/Profile': `removalPolicy` must be RemovalPolicy.DESTROY or RemovalPolicy.RETAIN, got snapshot/);
    RemovalPolicies.of(stack).snapshot();
    expect(() => Template.fromStack(stack)).toThrow(/excludeResourceTypes: \['Custom::ConnectSecurityProfile'\]/);
  });
});
