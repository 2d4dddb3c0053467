/**
 * The pure holder planner, table-driven: only the managed profile moves, the assignment answers for the holders
 * it added, nobody is left without a profile, and the two-restricted-profiles rule.
 */
import { holderObservation as observation, MANAGED as P } from './observation';
import { HolderObservation, planHolders, planRelease } from '../../lambda/assignment-plan';

const user = (id: string, ...profiles: string[]) => ({ id, username: id, securityProfileIds: profiles });

describe('planHolders', () => {
  it.each([
    ['a selected user without the profile gets it, with every other profile kept',
      { targets: [user('a', 'agent', 'report')] }, { add: [['a', ['agent', 'report', P]]], remove: [], added: ['a'], refused: [] }],
    ['a selected user who already holds it (not added by us) is not recorded',
      { targets: [user('a', 'agent', P)], holders: [user('a', 'agent', P)] }, { add: [], remove: [], added: [], refused: [] }],
    ['a selected user we added stays recorded',
      { targets: [user('a', 'agent', P)], holders: [user('a', 'agent', P)], added: ['a'] }, { add: [], remove: [], added: ['a'], refused: [] }],
    ['a holder we added who left the selection loses only the managed profile',
      { holders: [user('a', 'agent', P)], added: ['a'] }, { add: [], remove: [['a', ['agent']]], added: [], refused: [] }],
    ['a holder someone else gave the profile is left alone',
      { holders: [user('a', 'agent', P)] }, { add: [], remove: [], added: [], refused: [] }],
    ['a holder we added whose only profile it is keeps it and stays recorded',
      { holders: [user('a', P)], added: ['a'] }, { add: [], remove: [], added: ['a'], refused: [['a', 'last-profile']] }],
    ['a recorded user who holds nothing of ours any more and is not selected is dropped',
      { added: ['gone'] }, { add: [], remove: [], added: [], refused: [] }],
    ['a user at 10 profiles cannot get an eleventh',
      { targets: [user('a', ...Array.from({ length: 10 }, (_, i) => `p${i}`))] }, { add: [], remove: [], added: [], refused: [['a', 'profile-limit']] }],
  ])('%s', (_name, given, expected) => {
    const plan = planHolders(observation(given as Partial<HolderObservation>));
    expect(plan.add.map((c) => [c.userId, c.to])).toEqual(expected.add);
    expect(plan.remove.map((c) => [c.userId, c.to])).toEqual(expected.remove);
    expect(plan.added).toEqual(expected.added);
    expect(plan.refused.map((r) => [r.userId, r.reason])).toEqual(expected.refused);
    expect(plan.changeCount).toBe(expected.add.length + expected.remove.length);
  });

  it.each([
    ['two restricted already: refused', ['r1', 'r2'], true, 'restricted'],
    ['one restricted: allowed', ['r1', 'plain'], true, undefined],
    ['two restricted, unrestricted managed profile: allowed', ['r1', 'r2'], false, undefined],
  ])('the two-restricted-profiles rule: %s', (_name, profiles, managedRestricted, refusal) => {
    const plan = planHolders(observation({
      profileRestricted: managedRestricted as boolean, restrictedProfileIds: new Set(['r1', 'r2']), targets: [user('a', ...profiles as string[])],
    }));
    expect(plan.refused.map((r) => r.reason)).toEqual(refusal ? [refusal] : []);
    expect(plan.add).toHaveLength(refusal ? 0 : 1);
    if (refusal) expect(plan.refused[0].restrictedProfileIds).toEqual(['r1', 'r2']);
  });

  it('AI agents: declared and not holding are associated; recorded and no longer declared are disassociated; a declared agent that held it already is not recorded', () => {
    const plan = planHolders(observation({
      declaredAgents: ['new', 'held', 'ours'], addedAgents: ['ours', 'dropped'], agentsHolding: new Set(['held', 'ours', 'dropped']),
    }));
    expect(plan.associate).toEqual(['new']);
    expect(plan.disassociate).toEqual(['dropped']);
    expect(plan.addedAgents).toEqual(['new', 'ours']);
    expect(plan.changeCount).toBe(2);
  });
});

describe('planRelease', () => {
  it('takes the profile from every recorded holder but never a last profile, and from recorded agents', () => {
    const plan = planRelease({
      securityProfileId: P,
      holders: [user('ours', 'agent', P), user('theirs', 'agent', P), user('only', P)],
      added: ['ours', 'only', 'gone'],
      addedAgents: ['agent-1'],
      agentsHolding: new Set(['agent-1']),
    });
    expect(plan.remove.map((c) => [c.userId, c.to])).toEqual([['ours', ['agent']]]);
    expect(plan.refused.map((r) => [r.userId, r.reason])).toEqual([['only', 'last-profile']]);
    expect(plan.disassociate).toEqual(['agent-1']);
    expect(plan.add).toEqual([]);
  });
});
