import { MAX_TAG_VALUE_LENGTH, ownerMark } from '../../lambda/owner';

const STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/my-stack/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';

describe('ownerMark', () => {
  test('stack ARN and logical id when it fits', () => {
    expect(ownerMark(STACK, 'SupervisorProfile1234ABCD')).toBe(`${STACK}/SupervisorProfile1234ABCD`);
  });

  test('a mark at exactly 256 characters is kept as is', () => {
    const logicalId = 'L'.repeat(MAX_TAG_VALUE_LENGTH - STACK.length - 1);
    expect(ownerMark(STACK, logicalId)).toHaveLength(MAX_TAG_VALUE_LENGTH);
    expect(ownerMark(STACK, logicalId)).toBe(`${STACK}/${logicalId}`);
  });

  test('longer marks are shortened to 256 characters with a hash: stable and unique', () => {
    const a = ownerMark(STACK, 'L'.repeat(255));
    const b = ownerMark(STACK, `${'L'.repeat(254)}M`);
    expect(a).toHaveLength(MAX_TAG_VALUE_LENGTH);
    expect(a).toMatch(/#sha256:[0-9a-f]{64}$/);
    expect(a.startsWith(STACK)).toBe(true);
    expect(ownerMark(STACK, 'L'.repeat(255))).toBe(a);
    expect(b).not.toBe(a);
  });

  test('different stacks or logical ids give different marks', () => {
    expect(ownerMark(STACK, 'A')).not.toBe(ownerMark(STACK, 'B'));
    expect(ownerMark(STACK.replace('my-stack', 'other'), 'A')).not.toBe(ownerMark(STACK, 'A'));
  });
});
