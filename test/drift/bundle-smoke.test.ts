/**
 * Smoke test of the BUNDLED reconciler (assets/handler/index.js, built by `npx projen bundle:handler`,
 * which the build runs before the tests): a separate node process loads the bundle with only what a
 * Lambda environment gives (the provider's variables, the standard SDK endpoint settings pointing at
 * the emulator and dynalite), creates a profile through `index.onEvent` (which records its desired
 * state) and sweeps with `index.reconcile`.
 */
import { consoleUpdate } from './fixtures';
import { Harness, startHarness } from './harness';
import { ENV, HANDLER_ENTRY, RESOURCE_TYPE } from '../../src/private/contract';
import { bundleEnv, requireBundle, runBundle } from '../support/bundle-process';

let h: Harness;

beforeAll(async () => {
  requireBundle();
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

const runSteps = (steps: Array<[string, unknown]>) => runBundle(bundleEnv(
  { connectEndpoint: h.emulator.endpoint, dynamoEndpoint: h.dynalite.endpoint, tableName: h.store.tableName, serviceName: 'BundleStack' },
  { [ENV.ignoredRoleArns]: 'arn:aws:iam::123456789012:role/Handler,arn:aws:iam::123456789012:role/Reconciler' },
), steps);

const entry = (name: string) => name.split('.')[1];

it('the bundle records the desired state on Create and its reconciler sweeps and repairs from it', async () => {
  const create = {
    RequestType: 'Create',
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/presigned',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/BundleStack/1',
    RequestId: 'request-1',
    LogicalResourceId: 'Agents',
    ResourceType: RESOURCE_TYPE,
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:provider',
      InstanceArn: h.instanceArn,
      SecurityProfileName: 'Bundle-Agents',
      Permissions: ['BasicAgentAccess'],
      DriftMode: 'REMEDIATE',
    },
  };
  const first = await runSteps([[entry(HANDLER_ENTRY.onEvent), create], [entry(HANDLER_ENTRY.reconcile), { source: 'cdk-connect-security-profiles.sweep' }]]);
  expect(first.outcomes[0].error).toBeUndefined();
  const arn = first.outcomes[0].ok.PhysicalResourceId as string;
  expect(first.outcomes[1].ok).toMatchObject({ kind: 'sweep', report: { complete: true, outcomes: [{ securityProfileArn: arn, status: 'IN_SYNC' }] } });
  // the metrics reach stdout as EMF
  expect(first.stdout).toMatch(/"_aws":\{"Timestamp":\d+,"CloudWatchMetrics":\[\{"Namespace":"CdkConnectSecurityProfiles"/);

  const record = (await h.store.get(arn))!;
  await consoleUpdate(h.console, record, { Permissions: ['BasicAgentAccess', 'Users.Edit'] });
  const second = await runSteps([[entry(HANDLER_ENTRY.reconcile), { source: 'cdk-connect-security-profiles.sweep' }]]);
  expect(second.outcomes[0].ok).toMatchObject({ kind: 'sweep', report: { outcomes: [{ status: 'REMEDIATED', driftFields: ['Permissions'] }] } });
  expect((await h.observe(record))?.Permissions).toEqual(['BasicAgentAccess']);
});
