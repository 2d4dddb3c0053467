import { App, Stack } from 'aws-cdk-lib';
import { CfnInstance } from 'aws-cdk-lib/aws-connect';
import { Instance } from '../../src';

const ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/aaaabbbb-cccc-dddd-eeee-ffff00001111';

describe('Instance', () => {
  test('fromInstanceArn reads the id from a literal ARN', () => {
    // WHEN
    const instance = Instance.fromInstanceArn(new Stack(), 'Instance', ARN);

    // THEN
    expect(instance.instanceArn).toBe(ARN);
    expect(instance.env).toEqual({ account: '111122223333', region: 'eu-west-2' });
    expect(instance.instanceId).toBe('aaaabbbb-cccc-dddd-eeee-ffff00001111');
  });

  test('fromInstanceArn derives the id of a token ARN at deploy time', () => {
    // GIVEN
    const stack = new Stack();
    const cfn = new CfnInstance(stack, 'I', { attributes: { inboundCalls: true, outboundCalls: true }, identityManagementType: 'CONNECT_MANAGED' });

    // WHEN
    const instance = Instance.fromInstanceArn(stack, 'Instance', cfn.attrArn);

    // THEN
    expect(stack.resolve(instance.instanceId)).toEqual({
      'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['I', 'Arn'] }] }] }] }],
    });
  });

  test.each([
    'arn:aws:connect:eu-west-2:111122223333:instance',
    'arn:aws:s3:::bucket',
    'aaaabbbb-cccc-dddd-eeee-ffff00001111',
    'arn:aws:connect:eu-west-2:111122223333:instance/abc/security-profile/def',
  ])('fromInstanceArn fails on %s', (arn) => {
    expect(() => Instance.fromInstanceArn(new Stack(), 'Instance', arn)).toThrow(/`instanceArn` must look like arn:<partition>:connect:<region>:<account>:instance\/<instanceId>, got '.*': pass the instance's full ARN/);
  });

  test('fromInstanceId builds the ARN from the stack environment', () => {
    // GIVEN
    const stack = new Stack(new App(), 'S', { env: { account: '444455556666', region: 'us-west-2' } });

    // WHEN
    const instance = Instance.fromInstanceId(stack, 'Instance', 'abc-123');

    // THEN
    expect(stack.resolve(instance.instanceArn)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':connect:us-west-2:444455556666:instance/abc-123']],
    });
    expect(instance.instanceId).toBe('abc-123');
  });

  test('fromInstanceId refuses an ARN', () => {
    expect(() => Instance.fromInstanceId(new Stack(), 'Instance', ARN)).toThrow(/`instanceId` must be an instance id .* got 'arn:aws:connect:.*': for an ARN use Instance.fromInstanceArn\(\)/);
  });

  test('fromCfnInstance uses the L1 attributes', () => {
    // GIVEN
    const stack = new Stack();
    const cfn = new CfnInstance(stack, 'I', { attributes: { inboundCalls: true, outboundCalls: true }, identityManagementType: 'CONNECT_MANAGED' });

    // WHEN
    const instance = Instance.fromCfnInstance(cfn);

    // THEN
    expect(stack.resolve(instance.instanceArn)).toEqual({ 'Fn::GetAtt': ['I', 'Arn'] });
    expect(stack.resolve(instance.instanceId)).toEqual({ 'Fn::GetAtt': ['I', 'Id'] });
    expect(Instance.fromCfnInstance(cfn)).toBe(instance);
  });
});
