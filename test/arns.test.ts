import {
  isAiAgentArn,
  parseHierarchyGroupArn,
  parseInstanceArn,
  parseSecurityProfileArn,
  roleIdentityOfArn,
  stackNameOfArn,
} from '../src/private/arns';

const INSTANCE = 'arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-aaaa-bbbb-cccc-000000000001';

describe('ARN parsers', () => {
  test('an instance ARN gives its id in every partition', () => {
    expect(parseInstanceArn(INSTANCE)).toEqual({ instanceArn: INSTANCE, instanceId: '0a1b2c3d-aaaa-bbbb-cccc-000000000001' });
    expect(parseInstanceArn('arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/i-1')?.instanceId).toBe('i-1');
    expect(parseInstanceArn('arn:aws-cn:connect:cn-north-1:123456789012:instance/i-1')?.instanceId).toBe('i-1');
  });

  test.each([
    ['an instance id alone', '0a1b2c3d'],
    ['a foreign partition', 'arn:gcp:connect:us-east-1:123456789012:instance/i-1'],
    ['a short account', 'arn:aws:connect:us-east-1:12345:instance/i-1'],
    ['another service', 'arn:aws:lambda:us-east-1:123456789012:instance/i-1'],
    ['a sub-resource', `${INSTANCE}/security-profile/p-1`],
    ['a slash in the id', 'arn:aws:connect:us-east-1:123456789012:instance/a/b'],
    ['a non-string', 42],
  ])('%s is not an instance ARN', (_why, value) => {
    expect(parseInstanceArn(value)).toBeUndefined();
  });

  test('a security profile ARN gives its instance and id', () => {
    expect(parseSecurityProfileArn(`${INSTANCE}/security-profile/p-1`)).toEqual({
      securityProfileArn: `${INSTANCE}/security-profile/p-1`,
      instanceArn: INSTANCE,
      instanceId: '0a1b2c3d-aaaa-bbbb-cccc-000000000001',
      securityProfileId: 'p-1',
    });
    expect(parseSecurityProfileArn(`${INSTANCE}/agent-group/g-1`)).toBeUndefined();
    expect(parseSecurityProfileArn('0a1b2c3d/p-1')).toBeUndefined();
  });

  test('a hierarchy group ARN gives its instance and id', () => {
    expect(parseHierarchyGroupArn(`${INSTANCE}/agent-group/g-1`)).toMatchObject({ instanceArn: INSTANCE, hierarchyGroupId: 'g-1' });
    expect(parseHierarchyGroupArn(`${INSTANCE}/security-profile/p-1`)).toBeUndefined();
  });

  test('AI agent ARNs have an assistant and an agent id', () => {
    expect(isAiAgentArn('arn:aws:wisdom:us-east-1:123456789012:ai-agent/as-1/ag-1')).toBe(true);
    expect(isAiAgentArn('arn:aws:wisdom:us-east-1:123456789012:ai-agent/ag-1')).toBe(false);
  });

  test('a stack ARN gives its name', () => {
    expect(stackNameOfArn('arn:aws:cloudformation:eu-west-1:123456789012:stack/Contact-Center/7c3e0b10-0000-11ef-0000-000000000000')).toBe('Contact-Center');
    expect(stackNameOfArn('Contact-Center')).toBeUndefined();
  });

  test('a role and a session of it have the same identity, without the path', () => {
    const role = roleIdentityOfArn('arn:aws:iam::123456789012:role/service/handler-role');
    const session = roleIdentityOfArn('arn:aws:sts::123456789012:assumed-role/handler-role/session-1');
    expect(role).toEqual({ account: '123456789012', roleName: 'handler-role' });
    expect(session).toEqual(role);
    expect(roleIdentityOfArn('arn:aws:iam::123456789012:user/alice')).toBeUndefined();
  });
});
