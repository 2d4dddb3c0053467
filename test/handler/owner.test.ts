import { TagResourceCommand } from '@aws-sdk/client-connect';
import { idOf, lifecycleFixture } from './fixture';
import { LOGICAL_ID, cfnEvent, depsFor } from './helpers';
import { handleEvent } from '../../lambda/on-event';
import { isOwnMark, isSameStackMark, markedLogicalId, MAX_TAG_VALUE_LENGTH, ownerMark, stackNameOf } from '../../lambda/owner';
import { OWNER_TAG_KEY, ownerScopeOf } from '../../src/private/contract';

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

describe('nested stacks: the owner mark drops CloudFormation\'s random suffix', () => {
  const nested = (suffix: string) => `arn:aws:cloudformation:us-east-1:123456789012:stack/Root-ProfilesNestedStackProfilesNestedStackResource0A1B2C3D-${suffix}/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab`;
  const SCOPE = 'Root-ProfilesNestedStackProfilesNestedStackResource0A1B2C3D';

  test.each([
    ['1G2D70WWWAQHW', 'a 13-character suffix'],
    ['KII6J4RJ34EG', 'a 12-character suffix'],
    ['A1B2C3D4', 'an 8-character suffix'],
  ])('%s (%s) is dropped', (suffix) => {
    expect(ownerMark(nested(suffix), 'P')).toBe(`${SCOPE}/P`);
  });

  test('a nested stack created again (another suffix) keeps its mark', () => {
    expect(ownerMark(nested('1G2D70WWWAQHW'), 'P')).toBe(ownerMark(nested('P82SEBEDKPYG'), 'P'));
  });

  test.each([
    ['my-stack', 'one part'],
    ['App-V20240101', 'two parts'],
    ['App-Api-PRODUCTION', 'a last part without a digit'],
    ['App-Api-20240101', 'a last part without a letter'],
    ['App-Api-A1B2C3D', 'a last part of 7'],
    ['App-Api-A1B2C3D4E5F6G7', 'a last part of 14'],
    ['App-Api-a1b2c3d4', 'a lower-case last part'],
  ])('a name without the nested shape keeps its last part: %s (%s)', (name) => {
    expect(ownerMark(`arn:aws:cloudformation:us-east-1:123456789012:stack/${name}/uuid`, 'P')).toBe(`${name}/P`);
    expect(ownerScopeOf(name)).toBe(name);
  });

  test('isOwnMark: the current mark, the full-name mark of older versions, an earlier incarnation\'s mark', () => {
    const stack = nested('1G2D70WWWAQHW');
    expect(isOwnMark(`${SCOPE}/P`, stack, 'P')).toBe(true);
    expect(isOwnMark(`${SCOPE}-1G2D70WWWAQHW/P`, stack, 'P')).toBe(true);
    expect(isOwnMark(`${SCOPE}-P82SEBEDKPYG/P`, stack, 'P')).toBe(true);
  });

  test.each([
    ['another logical id', `${SCOPE}/Q`],
    ['another logical id of an earlier incarnation', `${SCOPE}-P82SEBEDKPYG/Q`],
    ['another nested stack of the parent', 'Root-OtherNestedStackResource99/P'],
    ['the parent stack', 'Root/P'],
    ['a suffix-like part that is not one', `${SCOPE}-production/P`],
    ['no separator', SCOPE],
    ['an empty logical id', `${SCOPE}/`],
  ])('isOwnMark refuses %s', (_what, mark) => {
    expect(isOwnMark(mark, nested('1G2D70WWWAQHW'), 'P')).toBe(false);
  });

  test('a top-level stack recognises only its own name, never a suffixed variant', () => {
    expect(isOwnMark('my-stack/P', STACK, 'P')).toBe(true);
    expect(isOwnMark('my-stack-A1B2C3D4E5F6/P', STACK, 'P')).toBe(false);
    expect(isSameStackMark('my-stack-A1B2C3D4E5F6/P', STACK)).toBe(false);
  });

  test('isSameStackMark: any logical id under this stack\'s scope, its full name or an earlier incarnation', () => {
    const stack = nested('1G2D70WWWAQHW');
    expect(isSameStackMark(`${SCOPE}/Q`, stack)).toBe(true);
    expect(isSameStackMark(`${SCOPE}-1G2D70WWWAQHW/Q`, stack)).toBe(true);
    expect(isSameStackMark(`${SCOPE}-P82SEBEDKPYG/Q`, stack)).toBe(true);
    expect(isSameStackMark('Root/Q', stack)).toBe(false);
    expect(isSameStackMark('Root-OtherNestedStackResource99/Q', stack)).toBe(false);
    expect(isSameStackMark('OtherStack/Q', STACK)).toBe(false);
    expect(isSameStackMark('my-stack/Q', STACK)).toBe(true);
  });

  test('a shortened mark keeps its scope: recognised as this stack\'s, and as this resource\'s own', () => {
    const long = 'L'.repeat(255);
    const mark = ownerMark(nested('1G2D70WWWAQHW'), long);
    expect(mark).toMatch(/#sha256:/);
    expect(isOwnMark(mark, nested('P82SEBEDKPYG'), long)).toBe(true);
    expect(isSameStackMark(mark, nested('P82SEBEDKPYG'))).toBe(true);
    expect(isOwnMark(mark, nested('P82SEBEDKPYG'), `${'L'.repeat(254)}M`)).toBe(false);
  });

  test('markedLogicalId names the resource of a mark', () => {
    expect(markedLogicalId(`${SCOPE}-P82SEBEDKPYG/Sibling`)).toBe('Sibling');
    expect(markedLogicalId('no-separator')).toBe('no-separator');
  });
});

describe('the re-created nested stack adopts its own profile (handler against the emulator)', () => {
  const f = lifecycleFixture();
  const first = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Root-ProfilesNestedStackResource12AB34CD-1G2D70WWWAQHW/11111111-0000-0000-0000-000000000000';
  const second = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Root-ProfilesNestedStackResource12AB34CD-P82SEBEDKPYG/22222222-0000-0000-0000-000000000000';

  test('a profile left by the first incarnation (a mark of this version) is the second one\'s own', async () => {
    const name = f.uniqueName('Nested');
    const made = await handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: first }), depsFor(f.emulator));
    const adopted = await handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: second }), depsFor(f.emulator));
    expect(adopted.PhysicalResourceId).toBe(made.PhysicalResourceId);
    expect((await f.readLive(idOf(adopted))).Tags[OWNER_TAG_KEY]).toBe(`Root-ProfilesNestedStackResource12AB34CD/${LOGICAL_ID}`);
  });

  test('a profile marked with the full name by an older version is adopted and its mark rewritten', async () => {
    const name = f.uniqueName('NestedOld');
    const made = await handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: first }), depsFor(f.emulator));
    const oldMark = `Root-ProfilesNestedStackResource12AB34CD-1G2D70WWWAQHW/${LOGICAL_ID}`;
    await f.sdk.send(new TagResourceCommand({ resourceArn: made.PhysicalResourceId, tags: { [OWNER_TAG_KEY]: oldMark } }));
    const adopted = await handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: second }), depsFor(f.emulator));
    expect(adopted.PhysicalResourceId).toBe(made.PhysicalResourceId);
    expect((await f.readLive(idOf(adopted))).Tags[OWNER_TAG_KEY]).toBe(ownerMark(second, LOGICAL_ID));
  });

  test('a sibling resource\'s profile of an earlier incarnation is still refused, naming the sibling', async () => {
    const name = f.uniqueName('NestedSibling');
    const made = await handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: first, logicalId: 'Sibling' }), depsFor(f.emulator));
    await f.sdk.send(new TagResourceCommand({
      resourceArn: made.PhysicalResourceId, tags: { [OWNER_TAG_KEY]: 'Root-ProfilesNestedStackResource12AB34CD-1G2D70WWWAQHW/Sibling' },
    }));
    await expect(handleEvent(cfnEvent('Create', { ...f.fullProperties(name), AdoptExisting: 'true' }, { stackId: second }), depsFor(f.emulator)))
      .rejects.toThrow(/the name is held by another resource of this stack \(Sibling: /);
  });

  test('another stack\'s profile is refused, naming that stack', async () => {
    const name = f.uniqueName('NestedOther');
    await handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/Root/33333333-0000-0000-0000-000000000000' }), depsFor(f.emulator));
    await expect(handleEvent(cfnEvent('Create', f.fullProperties(name), { stackId: second }), depsFor(f.emulator)))
      .rejects.toThrow(/and stack "Root" manages it \(its cdk-connect-security-profiles:owner tag is "Root\/SupervisorProfile0A1B2C3D"\)/);
  });
});
