import { MAX_TAG_VALUE_LENGTH, ownerMark, stackNameOf } from '../../lambda/owner';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/my-stack/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

describe('ownerMark', () => {
  test('stack name and logical id when it fits', () => {
    expect(ownerMark(STACK, 'SupervisorProfile1234ABCD')).toBe('my-stack/SupervisorProfile1234ABCD');
  });

  test('a stack deleted and created anew (new StackId, same name) keeps the mark', () => {
    const recreated = STACK.replace('0f1e2d3c-aaaa-bbbb-cccc-1234567890ab', '99999999-aaaa-bbbb-cccc-000000000000');
    expect(ownerMark(recreated, 'P')).toBe(ownerMark(STACK, 'P'));
  });

  test('the stack name is read from the ARN; anything else is used as is', () => {
    expect(stackNameOf(STACK)).toBe('my-stack');
    expect(stackNameOf('arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/gov/uuid')).toBe('gov');
    expect(stackNameOf('not-an-arn')).toBe('not-an-arn');
  });

  test('a mark at exactly 256 characters is kept as is', () => {
    const logicalId = 'L'.repeat(MAX_TAG_VALUE_LENGTH - 'my-stack/'.length);
    expect(ownerMark(STACK, logicalId)).toBe(`my-stack/${logicalId}`);
    expect(ownerMark(STACK, logicalId)).toHaveLength(MAX_TAG_VALUE_LENGTH);
  });

  test('longer marks are shortened to 256 characters with a hash: stable and unique', () => {
    const a = ownerMark(STACK, 'L'.repeat(255));
    const b = ownerMark(STACK, `${'L'.repeat(254)}M`);
    expect(a).toHaveLength(MAX_TAG_VALUE_LENGTH);
    expect(a).toMatch(/^my-stack\/L+#sha256:[0-9a-f]{64}$/);
    expect(ownerMark(STACK, 'L'.repeat(255))).toBe(a);
    expect(b).not.toBe(a);
  });

  test('different stacks or logical ids give different marks', () => {
    expect(ownerMark(STACK, 'A')).not.toBe(ownerMark(STACK, 'B'));
    expect(ownerMark(STACK.replace('my-stack', 'other'), 'A')).not.toBe(ownerMark(STACK, 'A'));
  });
});
