/**
 * Tags at Connect's limit of 50 per resource (counted after merging; the emulator enforces it): renaming a
 * tag key on a profile that holds 49 declared tags and the owner tag must free the old key's slot before
 * the new key takes one. Against the emulator, over HTTP with the real SDK client.
 */
import { TagResourceCommand } from '@aws-sdk/client-connect';
import { idOf, lifecycleFixture } from './fixture';
import { LOGICAL_ID, STACK_ID, WRITES, cfnEvent, depsFor, fastApi } from './helpers';
import { applyPlan } from '../../lambda/apply';
import { observeProfile } from '../../lambda/observe';
import { handleEvent } from '../../lambda/on-event';
import { ownerMark } from '../../lambda/owner';
import { plan } from '../../lambda/plan';
import { withOwnerMark } from '../../lambda/profile-state';
import { MAX_USER_TAGS, parseProperties } from '../../lambda/properties';
import { parseSecurityProfileArn } from '../../src/private/arns';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const f = lifecycleFixture();

/** 49 declared tags, `k0` .. `k48`: with the owner tag, the profile is at the limit. */
const atLimit = (): Record<string, string> => Object.fromEntries(Array.from({ length: MAX_USER_TAGS }, (_, i) => [`k${i}`, `v${i}`]));

describe('renaming a tag key on a profile at the 50-tag limit', () => {
  test('the emulator refuses a 51st tag (the rule this test relies on)', async () => {
    const created = await f.create({ ...f.fullProperties(f.uniqueName('Limit-Rule')), Tags: atLimit() });
    await expect(f.sdk.send(new TagResourceCommand({ resourceArn: created.PhysicalResourceId, tags: { extra: 'x' } })))
      .rejects.toThrow(/50/);
  });

  test('an Update that renames one key untags before it tags and succeeds', async () => {
    // GIVEN a profile with 49 declared tags and the owner tag
    const props = { ...f.fullProperties(f.uniqueName('Limit-Rename')), Tags: atLimit() };
    const created = await f.create(props);
    expect(Object.keys((await f.readLive(idOf(created))).Tags)).toHaveLength(50);

    // WHEN k0 becomes renamed0 (still 49 declared tags)
    const { k0: _dropped, ...rest } = atLimit();
    const renamed = { ...props, Tags: { ...rest, renamed0: 'v0' } };
    f.emulator.clearRequestLog();
    await handleEvent(cfnEvent('Update', renamed, { physicalResourceId: created.PhysicalResourceId, oldProperties: props }), depsFor(f.emulator));

    // THEN
    expect(f.emulator.requestLog.filter((e) => WRITES.has(e.operation)).map((e) => e.operation)).toEqual(['UntagResource', 'TagResource']);
    const live = await f.readLive(idOf(created));
    expect(live.Tags).toEqual({ ...rest, renamed0: 'v0', [OWNER_TAG_KEY]: ownerMark(STACK_ID, LOGICAL_ID) });
  });

  test('applyPlan (the reconciler\'s executor too) sends UntagResource before TagResource', async () => {
    // GIVEN a profile at the limit and a desired state that renames every key but one
    const name = f.uniqueName('Limit-Apply');
    const props = { ...f.fullProperties(name), Tags: atLimit() };
    const created = await f.create(props);
    const desiredTags = Object.fromEntries(Array.from({ length: MAX_USER_TAGS }, (_, i) => [i === 0 ? 'k0' : `n${i}`, 'x']));
    const desired = withOwnerMark(parseProperties({ ...props, Tags: desiredTags }).profile, ownerMark(STACK_ID, LOGICAL_ID));
    const api = fastApi(f.emulator);
    const ref = parseSecurityProfileArn(created.PhysicalResourceId)!;
    const observed = await observeProfile(api, ref, { flowModules: true, aiAgents: true });
    const decided = plan(desired, observed);
    if (decided.kind !== 'update') throw new Error(`expected an update plan, got ${decided.kind}`);

    // WHEN
    f.emulator.clearRequestLog();
    const actions = await applyPlan(api, ref, name, decided, depsFor(f.emulator).logger);

    // THEN
    expect(actions).toEqual(['UntagResource', 'TagResource']);
    expect((await f.readLive(idOf(created))).Tags).toEqual({ ...desiredTags, [OWNER_TAG_KEY]: ownerMark(STACK_ID, LOGICAL_ID) });
  });
});
