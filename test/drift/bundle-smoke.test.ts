/**
 * Smoke test of the BUNDLED reconciler (assets/handler/index.js, built by `npx projen bundle:handler`,
 * which the build runs before the tests): a separate node process loads the bundle with only what a
 * Lambda environment gives (the provider's variables, the standard SDK endpoint settings pointing at
 * the emulator and dynalite), creates a profile through `index.onEvent` (which records its desired
 * state) and sweeps with `index.reconcile`.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { consoleUpdate } from './fixtures';
import { Harness, startHarness } from './harness';
import { ENV, HANDLER_ENTRY, RESOURCE_TYPE } from '../../src/private/contract';

const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

/** Runs `[entry, event]` steps in order against the bundle; prints the outcomes after a marker. */
const RUNNER = `
const bundle = require(process.argv[1]);
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  const out = [];
  for (const [entry, event] of JSON.parse(input)) {
    try { out.push({ ok: await bundle[entry](event) }); } catch (e) { out.push({ error: e.message }); }
  }
  process.stdout.write('\\n@@RESULT ' + JSON.stringify(out) + '\\n');
});
`;

let h: Harness;

beforeAll(async () => {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

interface Outcome { readonly ok?: any; readonly error?: string }

function runBundle(steps: Array<[string, unknown]>): Promise<{ outcomes: Outcome[]; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', RUNNER, BUNDLE], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'AKIDBUNDLE',
        AWS_SECRET_ACCESS_KEY: 'bundle-secret',
        AWS_ENDPOINT_URL_CONNECT: h.emulator.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: h.dynalite.endpoint,
        [ENV.desiredStateTable]: h.store.tableName,
        [ENV.sweepBudgetMs]: '60000',
        [ENV.rateLimitPerSecond]: '100',
        [ENV.rateLimitBurst]: '100',
        [ENV.ignoredRoleArns]: 'arn:aws:iam::123456789012:role/Handler,arn:aws:iam::123456789012:role/Reconciler',
        POWERTOOLS_SERVICE_NAME: 'BundleStack',
      },
      maxBuffer: 10 * 1024 * 1024,
    }, (err, stdout) => {
      const marker = stdout.lastIndexOf('@@RESULT ');
      if (marker < 0) {
        reject(err ?? new Error(`no result from the bundle; stdout: ${stdout.slice(-2000)}`));
        return;
      }
      resolve({ outcomes: JSON.parse(stdout.slice(marker + 9).split('\n')[0]) as Outcome[], stdout });
    });
    child.stdin!.end(JSON.stringify(steps));
  });
}

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
  const first = await runBundle([[entry(HANDLER_ENTRY.onEvent), create], [entry(HANDLER_ENTRY.reconcile), { source: 'cdk-connect-security-profiles.sweep' }]]);
  expect(first.outcomes[0].error).toBeUndefined();
  const arn = first.outcomes[0].ok.PhysicalResourceId as string;
  expect(first.outcomes[1].ok).toMatchObject({ kind: 'sweep', report: { complete: true, outcomes: [{ securityProfileArn: arn, status: 'IN_SYNC' }] } });
  // the metrics reach stdout as EMF
  expect(first.stdout).toMatch(/"_aws":\{"Timestamp":\d+,"CloudWatchMetrics":\[\{"Namespace":"CdkConnectSecurityProfiles"/);

  const record = (await h.store.get(arn))!;
  await consoleUpdate(h.console, record, { Permissions: ['BasicAgentAccess', 'Users.Edit'] });
  const second = await runBundle([[entry(HANDLER_ENTRY.reconcile), { source: 'cdk-connect-security-profiles.sweep' }]]);
  expect(second.outcomes[0].ok).toMatchObject({ kind: 'sweep', report: { outcomes: [{ status: 'REMEDIATED', driftFields: ['Permissions'] }] } });
  expect((await h.observe(record))?.permissions).toEqual(['BasicAgentAccess']);
});
