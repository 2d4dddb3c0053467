/**
 * Least privilege with drift reconciliation on and off, change events on and off, read from the
 * synthesized template: the reconciler may read and repair the profiles of the stack's instances and
 * nothing else (never create or delete one), the table is reachable only by its two functions, the
 * schedule may invoke only the reconciler, and the event rule exists only when asked for.
 *
 * The drift resources are those the stack's provider builds for the profiles' `driftReconciliation`.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Instance, SecurityProfile } from '../../src';
import { DriftReconciliation } from '../../src/drift';
import { instanceScoped } from '../support/templates';

const ARN_A = 'arn:aws:connect:us-east-1:123456789012:instance/11111111-aaaa-4000-8000-000000000001';
const ARN_B = 'arn:aws:connect:us-east-1:123456789012:instance/22222222-bbbb-4000-8000-000000000002';

interface Statement { readonly policy: string; readonly roles: string; readonly actions: string[]; readonly resources: string[] }

function statements(template: Template): Statement[] {
  const out: Statement[] = [];
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  const list = (v: unknown) => (Array.isArray(v) ? v : v === undefined ? [] : [v]).map(text);
  for (const [id, r] of Object.entries<any>(template.toJSON().Resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    for (const s of r.Properties.PolicyDocument.Statement) {
      out.push({ policy: id, roles: JSON.stringify(r.Properties.Roles), actions: list(s.Action), resources: list(s.Resource) });
    }
  }
  return out;
}

/** A stack with profiles in two instances, with the given drift reconciliation (the provider wires it). */
function build(reconciliations: DriftReconciliation[]): Template {
  const stack = new Stack(new App(), 'Stack', { env: { account: '123456789012', region: 'us-east-1' } });
  const first = reconciliations[0];
  const last = reconciliations[reconciliations.length - 1];
  new SecurityProfile(stack, 'A', { instance: Instance.fromInstanceArn(stack, 'IA', ARN_A), securityProfileName: 'Agents', driftReconciliation: first });
  new SecurityProfile(stack, 'B', { instance: Instance.fromInstanceArn(stack, 'IB', ARN_B), securityProfileName: 'Supervisors', driftReconciliation: last });
  return Template.fromStack(stack);
}

/** Every non-Connect action any role of the stack may hold. */
const OTHER_ACTIONS = new Set([
  'logs:CreateLogStream', 'logs:PutLogEvents', 'lambda:InvokeFunction', 'lambda:GetFunction',
  'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem',
]);

const INSTANCE_RESOURCES = new Set(instanceScoped([ARN_A, ARN_B], 'security-profile', 'agent-group'));

const CASES: Array<[string, DriftReconciliation[], { drift: boolean; events: boolean; writes: boolean }]> = [
  ['drift off', [DriftReconciliation.disabled()], { drift: false, events: false, writes: false }],
  ['remediate, events off', [DriftReconciliation.remediate()], { drift: true, events: false, writes: true }],
  ['remediate, events on', [DriftReconciliation.remediate({ schedule: Duration.minutes(30), onChangeEvents: true })], { drift: true, events: true, writes: true }],
  ['detect-only, events on', [DriftReconciliation.detectOnly({ onChangeEvents: true })], { drift: true, events: true, writes: false }],
];

describe.each(CASES)('%s', (_name, reconciliations, expected) => {
  const template = build(reconciliations);
  const all = statements(template);
  const reconcilerStatements = all.filter((s) => s.roles.includes('ReconcilerRole'));

  test('no statement has a * action or a * resource; Connect actions stay on the two instances and their children', () => {
    for (const s of all) {
      for (const a of s.actions) {
        expect(a).not.toMatch(/\*/);
        if (!a.startsWith('connect:')) expect({ a, allowed: OTHER_ACTIONS.has(a) }).toEqual({ a, allowed: true });
      }
      for (const r of s.resources) expect(r).not.toBe('*');
      if (s.actions.some((a) => a.startsWith('connect:'))) {
        for (const r of s.resources) expect({ r, allowed: INSTANCE_RESOURCES.has(r) }).toEqual({ r, allowed: true });
      }
    }
  });

  test(expected.drift ? 'the table, reconciler and schedule exist' : 'no table, reconciler, schedule or DynamoDB grant', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', expected.drift ? 1 : 0);
    template.resourceCountIs('AWS::Scheduler::Schedule', expected.drift ? 1 : 0);
    expect(all.some((s) => s.actions.some((a) => a.startsWith('dynamodb:')))).toBe(expected.drift);
  });

  test(expected.events ? 'the change-event rule exists and only EventBridge may invoke the reconciler for it' : 'no change-event rule', () => {
    template.resourceCountIs('AWS::Events::Rule', expected.events ? 1 : 0);
    const permissions = Object.values<any>(template.toJSON().Resources).filter((r) => r.Type === 'AWS::Lambda::Permission'
      && r.Properties.Principal === 'events.amazonaws.com');
    expect(permissions).toHaveLength(expected.events ? 1 : 0);
    for (const p of permissions) expect(JSON.stringify(p.Properties.SourceArn)).toMatch(/ChangeEvents/);
  });

  if (expected.drift) {
    test('the reconciler never creates or deletes a profile, and reaches the table only', () => {
      const actions = reconcilerStatements.flatMap((s) => s.actions);
      expect(actions).not.toContain('connect:CreateSecurityProfile');
      expect(actions).not.toContain('connect:DeleteSecurityProfile');
      for (const s of reconcilerStatements.filter((x) => x.actions.some((a) => a.startsWith('dynamodb:')))) {
        expect(s.resources).toHaveLength(1);
        expect(s.resources[0]).toMatch(/DesiredState.*Arn/);
      }
      // the handler writes and removes records, never reads or scans the table
      const handlerTable = all.filter((s) => s.roles.includes('HandlerRole') && s.actions.some((a) => a.startsWith('dynamodb:')));
      expect(handlerTable.flatMap((s) => s.actions).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:UpdateItem']);
    });

    test('the schedule may invoke the reconciler and nothing else', () => {
      const schedule = all.filter((s) => s.roles.includes('ScheduleRole'));
      expect(schedule.flatMap((s) => s.actions)).toEqual(['lambda:InvokeFunction']);
      expect(schedule.flatMap((s) => s.resources).every((r) => /Reconciler/.test(r))).toBe(true);
    });
  }

  if (expected.drift && !expected.writes) {
    // the repair calls are granted only when a profile of the stack remediates
    test('detect-only: the reconciler may not change profiles', () => {
      const actions = reconcilerStatements.flatMap((s) => s.actions);
      for (const write of ['connect:UpdateSecurityProfile', 'connect:TagResource', 'connect:UntagResource']) expect(actions).not.toContain(write);
    });
  }
});
