/**
 * The drift reconciler's real output (Powertools logs at DEBUG and the EMF metric lines) never carries
 * the Lambda credentials, on a sweep that repairs drift and on one that meets injected faults.
 *
 * The BUNDLED reconciler entry (`index.reconcile` of assets/handler/index.js, what ships) runs in a
 * separate node process with only a Lambda-like environment: credentials, the table name, the standard
 * endpoint settings pointing at the emulator and at dynalite. Everything it writes is captured.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConnectClient, UpdateSecurityProfileCommand } from '@aws-sdk/client-connect';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ConnectApi } from '../../lambda/connect-api';
import { handleEvent } from '../../lambda/on-event';
import { TokenBucket } from '../../lambda/rate-limiter';
import { createDesiredStateTable, DynamoDbStateStore } from '../../lambda/state-table';
import { connectClientFor, ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import { DynaliteServer, startDynalite } from '../../local/dynamodb';
import { RESOURCE_TYPE } from '../../src/private/contract';
import { TestLogger } from '../support/logger';


const ROOT = path.join(__dirname, '..', '..');
const BUNDLE = path.join(ROOT, 'assets', 'handler', 'index.js');
const ACCESS_KEY_ID = 'ASIARECONCILERKEYID01';
const SECRET_ACCESS_KEY = 'reconcilerSecretAccessKey/0123456789+abcdefghij';
const SESSION_TOKEN = 'ReconcilerSessionTokenFwoGZXIvYXdzEJr0123456789abcdef';
const TABLE = 'reconciler-logs';

let emulator: ConnectEmulator;
let dynamo: DynaliteServer;
let client: ConnectClient;
let runnerFile: string;

beforeAll(async () => {
  emulator = await startConnectEmulator();
  dynamo = await startDynalite();
  client = connectClientFor(emulator, { maxAttempts: 1 });
  await createDesiredStateTable(dynamo.client, TABLE);
  await dynamo.waitForTable(TABLE);
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  runnerFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reconciler-logs-')), 'runner.js');
  fs.writeFileSync(runnerFile, [
    `const { reconcile } = require(${JSON.stringify(BUNDLE)});`,
    "reconcile({ source: 'cdk-connect-security-profiles.sweep' })",
    "  .then((r) => process.stdout.write('\\n@@RESULT ' + JSON.stringify(r.report.outcomes.map((o) => o.status)) + '\\n'))",
    "  .catch((e) => process.stdout.write('\\n@@RESULT ' + JSON.stringify({ error: String(e && e.message) }) + '\\n'));",
  ].join('\n'));
});

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
  await dynamo?.stop();
});

function sweep(): Promise<{ output: string; result: unknown }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [runnerFile], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: emulator.region,
        AWS_ENDPOINT_URL_CONNECT: emulator.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN: SESSION_TOKEN,
        AWS_LAMBDA_FUNCTION_NAME: 'CdkConnectSecurityProfilesReconciler',
        DESIRED_STATE_TABLE: TABLE,
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        CONNECT_RATE_LIMIT_PER_SECOND: '1000',
        CONNECT_RATE_LIMIT_BURST: '1000',
        CONNECT_MAX_ATTEMPTS: '3',
      },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (!line) {
        reject(new Error(`reconciler process failed: ${err?.message}\n${stderr}\n${stdout}`));
        return;
      }
      resolve({ output: `${stdout}\n${stderr}`, result: JSON.parse(line.slice('@@RESULT '.length)) });
    });
  });
}

test('a sweep that repairs drift, and one under faults, print neither the credentials nor the session token', async () => {
  // GIVEN two profiles with drift remediation, both changed in the console
  const { instanceArn, instanceId } = emulator.createInstance({ alias: 'reconciler-logs' });
  const deps = {
    connect: new ConnectApi(client, { rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }) }),
    logger: new TestLogger(),
    stateStore: new DynamoDbStateStore({ tableName: TABLE, client: dynamo.client }),
  };
  for (const name of ['Logs-A', 'Logs-B']) {
    const created = await handleEvent({
      RequestType: 'Create',
      ServiceToken: 'x',
      ResponseURL: 'https://example.invalid/r',
      RequestId: name,
      LogicalResourceId: name,
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/ReconcilerLogs/1',
      ResourceType: RESOURCE_TYPE,
      ResourceProperties: { ServiceToken: 'x', ContractVersion: '1', InstanceArn: instanceArn, SecurityProfileName: name, Permissions: ['Users.View'], DriftMode: 'REMEDIATE' },
    } as unknown as CloudFormationCustomResourceEvent, deps);
    await client.send(new UpdateSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: created.Data!.SecurityProfileId, Permissions: ['Users.View', 'Users.Edit'] }));
  }

  // WHEN the reconciler sweeps, cleanly and then under faults
  const clean = await sweep();
  emulator.configure({ faults: { internalError: 0.3, throttle: 0.3, seed: 5 } });
  const faulty = await sweep();
  emulator.configure({ faults: {} });

  // THEN it did its work and logged it, and no secret appears anywhere in its output
  expect(clean.result).toEqual(['REMEDIATED', 'REMEDIATED']);
  const output = `${clean.output}\n${faulty.output}`;
  expect(output).toMatch(/security profile drift/);
  expect(output).toMatch(/DriftDetected/);
  for (const secret of [ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN]) {
    expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
  }
});
