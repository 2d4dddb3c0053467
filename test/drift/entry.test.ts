/**
 * The reconciler's Lambda entry, configured only by its environment (as the provider deploys it): the
 * SDK clients find the emulator and dynalite through the standard endpoint variables.
 */
import { DeleteSecurityProfileCommand } from '@aws-sdk/client-connect';
import { Harness, startHarness } from './harness';
import { createReconciler, IGNORED_ROLE_ARNS_ENV, TIMEOUT_MARGIN_MS } from '../../lambda/reconciler.lambda';
import type { StoredRecord } from '../../lambda/state-table';
import { fullyDeclaredProfile } from '../support/profile-properties';

const RECONCILER_ROLE = 'arn:aws:iam::123456789012:role/DriftTest-ReconcilerRole-ABC123';

let h: Harness;
const records: StoredRecord[] = [];
const saved = { ...process.env };
const stdout: string[] = [];
let writeSpy: jest.SpyInstance;

beforeAll(async () => {
  h = await startHarness();
  const { groupId } = h;
  for (const name of ['Entry-A', 'Entry-B', 'Entry-C']) {
    records.push(await h.manage({ ...fullyDeclaredProfile(name, groupId) }, 'REMEDIATE'));
  }
  await h.console.send(new DeleteSecurityProfileCommand({ InstanceId: h.instanceId, SecurityProfileId: records[2].securityProfileId }));
  Object.assign(process.env, h.functionEnv({
    [IGNORED_ROLE_ARNS_ENV]: ` ${RECONCILER_ROLE} , arn:aws:iam::123456789012:role/HandlerRole`,
    POWERTOOLS_SERVICE_NAME: 'EntryStack',
  }));
  // The EMF documents and the JSON logs go to stdout, where Lambda sends them to CloudWatch Logs.
  writeSpy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});

afterAll(async () => {
  writeSpy.mockRestore();
  process.env = saved;
  await h.stop();
});

function emfDocuments(): Array<Record<string, unknown>> {
  return stdout.join('').split('\n').filter((l) => l.includes('"_aws"')).map((l) => JSON.parse(l) as Record<string, unknown>);
}

it('fails with the variable to set when the table is not configured', () => {
  expect(() => createReconciler({ env: {} })).toThrow(/environment variable DESIRED_STATE_TABLE is not set/);
});

it('a scheduled event runs a sweep; with no time left beyond the margin it checks one profile per invocation', async () => {
  const reconcile = createReconciler();
  const context = { getRemainingTimeInMillis: () => TIMEOUT_MARGIN_MS };
  const kinds: string[] = [];
  const checked: string[] = [];
  for (let i = 0; i < 10; i++) {
    const result = await reconcile({ source: 'cdk-connect-security-profiles.sweep' }, context);
    kinds.push(result.kind);
    if (result.kind !== 'sweep') break;
    checked.push(...result.report.outcomes.map((o) => o.key));
    expect(result.report.outcomes).toHaveLength(1);
    if (result.report.complete) break;
  }
  expect(new Set(kinds)).toEqual(new Set(['sweep']));
  expect(checked.sort()).toEqual(records.map((r) => r.key).sort());
  const missing = await h.store.get(records[2].key);
  expect(missing?.lastResult?.status).toBe('MISSING');
});

it('writes EMF to stdout with the stack as the service dimension', () => {
  const totals = emfDocuments().filter((d) => 'ProfilesChecked' in d);
  expect(totals.length).toBeGreaterThanOrEqual(3);
  expect(totals.every((d) => d.service === 'EntryStack')).toBe(true);
  expect(totals.reduce((n, d) => n + (d.ProfilesMissing as number), 0)).toBe(1);
});

it('a CloudTrail event from its own role is ignored', async () => {
  const reconcile = createReconciler();
  h.emulator.clearRequestLog();
  const result = await reconcile({
    'detail-type': 'AWS API Call via CloudTrail',
    'source': 'aws.connect',
    'detail': {
      eventName: 'UpdateSecurityProfile',
      userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { arn: RECONCILER_ROLE } } },
      requestParameters: { InstanceId: h.instanceId, SecurityProfileId: records[0].securityProfileId },
    },
  });
  expect(result).toEqual({ kind: 'change-event', result: { handled: false, reason: 'own-role' } });
  expect(h.emulator.requestLog).toEqual([]);
});
