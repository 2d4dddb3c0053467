import { AdoptionInput, decideAdoption } from '../../lambda/adoption';
import { ownerMark } from '../../lambda/owner';
import { OWNER_TAG_KEY } from '../../src/private/contract';

const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/Profiles/2b1f6c30-0000-11ee-be56-0242ac120002';
const ARN = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-2222-3333-4444-555555555555/security-profile/sp-1';
const input = (owner: string | undefined, adoptExisting = false): AdoptionInput => ({
  securityProfileArn: ARN, owner, stackId: STACK_ID, logicalResourceId: 'Supervisors', adoptExisting,
});

describe('decideAdoption', () => {
  test.each<[string, string | undefined, boolean, { kind: 'adopt'; ours: boolean }]>([
    ['our own mark (a retried Create)', ownerMark(STACK_ID, 'Supervisors'), false, { kind: 'adopt', ours: true }],
    ['our own mark, adoptExisting too', ownerMark(STACK_ID, 'Supervisors'), true, { kind: 'adopt', ours: true }],
    ['no owner tag, adoptExisting', undefined, true, { kind: 'adopt', ours: false }],
    ['a mark without a stack (hand-written), adoptExisting', 'someone', true, { kind: 'adopt', ours: false }],
  ])('adopts: %s', (_, owner, adoptExisting, decision) => {
    expect(decideAdoption(input(owner, adoptExisting))).toEqual(decision);
  });

  test.each<[string, string | undefined, boolean, RegExp]>([
    ['no owner tag', undefined, false, /this resource does not own it \(it has no owner tag\)\. To manage it from this stack, set adoptExisting: true/],
    ['a hand-written mark', 'someone', false, new RegExp(`its ${OWNER_TAG_KEY} tag is "someone"`)],
    ['a sibling of this stack, even with adoptExisting', 'Profiles/Leads', true,
      /the name is held by another resource of this stack \(Leads: arn:aws:connect:.*sp-1\).*deploy twice: first rename Leads's profile/],
    ['a sibling of this stack', 'Profiles/Leads', false, /another resource of this stack \(Leads:/],
    ['another stack, even with adoptExisting', 'Other/Supervisors', true,
      /stack "Other" manages it \(its cdk-connect-security-profiles:owner tag is "Other\/Supervisors"\)\. To hand it over, set removalPolicy RETAIN/],
  ])('refuses: %s', (_, owner, adoptExisting, reason) => {
    const decision = decideAdoption(input(owner, adoptExisting));
    expect(decision.kind).toBe('refuse');
    expect(decision.kind === 'refuse' && decision.reason).toMatch(reason);
  });
});
