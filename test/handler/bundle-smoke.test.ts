/**
 * Smoke test of the BUNDLED handler (assets/handler/index.js, built by `npx projen bundle:handler`, which
 * the build runs before the tests): a separate node process loads the bundle, with only the standard SDK
 * settings pointing it at the emulator (AWS_ENDPOINT_URL_CONNECT, AWS_REGION, static fake credentials).
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { RESPONSE_URL, cfnEvent } from './helpers';
import { ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import { HANDLER_ENTRY, OWNER_TAG_KEY } from '../../src/private/contract';

const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

/** Loads the bundle, calls the exported handler with the event on stdin, prints the outcome after a marker. */
const RUNNER = `
const handler = require(process.argv[1]);
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  try {
    const out = await handler[process.argv[2]](JSON.parse(input));
    process.stdout.write('\\n@@RESULT ' + JSON.stringify({ ok: out }) + '\\n');
  } catch (e) {
    process.stdout.write('\\n@@RESULT ' + JSON.stringify({ error: e.message }) + '\\n');
  }
});
`;

let emulator: ConnectEmulator;
let instanceId: string;
let instanceArn: string;

beforeAll(async () => {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  emulator = await startConnectEmulator();
  ({ instanceId, instanceArn } = emulator.createInstance({ alias: 'bundle-smoke' }));
});

afterAll(async () => {
  await emulator?.stop();
});

interface Run {
  readonly ok?: { PhysicalResourceId: string; Data?: Record<string, string> };
  readonly error?: string;
  /** Every line the process printed before the result (the handler's logs). */
  readonly logs: string[];
}

function runBundle(event: CloudFormationCustomResourceEvent): Promise<Run> {
  const entry = HANDLER_ENTRY.onEvent.split('.')[1];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', RUNNER, BUNDLE, entry], {
      // only what a Lambda environment would give, pointed at the emulator
      env: {
        PATH: process.env.PATH,
        AWS_ENDPOINT_URL_CONNECT: emulator.endpoint,
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: 'AKIDSMOKETEST',
        AWS_SECRET_ACCESS_KEY: 'smoke-test-secret',
        CONNECT_RATE_LIMIT_PER_SECOND: '100',
        CONNECT_RATE_LIMIT_BURST: '100',
      },
      timeout: 30_000,
    }, (err, stdout, stderr) => {
      const marker = stdout.lastIndexOf('@@RESULT ');
      if (marker < 0) {
        reject(new Error(`the bundle printed no result (${err?.message ?? 'no error'}):\n${stdout}\n${stderr}`));
        return;
      }
      const logs = stdout.slice(0, marker).split('\n').filter((l) => l.trim() !== '');
      resolve({ ...JSON.parse(stdout.slice(marker + 9).trim()), logs });
    });
    child.stdin!.end(JSON.stringify(event));
  });
}

test('the bundled handler creates, updates and deletes a profile through AWS_ENDPOINT_URL_CONNECT', async () => {
  const props = {
    InstanceArn: instanceArn,
    SecurityProfileName: 'Bundle-Smoke',
    Permissions: ['BasicAgentAccess', 'Users.View'],
    Tags: { team: 'smoke' },
  };

  const created = await runBundle(cfnEvent('Create', props));
  expect(created.error).toBeUndefined();
  const arn = created.ok!.PhysicalResourceId;
  expect(created.ok!.Data).toEqual({
    SecurityProfileId: arn.split('/').pop(), SecurityProfileArn: arn, SecurityProfileName: 'Bundle-Smoke', InstanceId: instanceId,
  });
  expect(emulator.listSecurityProfilesIn(instanceId).map((p) => p.arn)).toContain(arn);
  const createInput = emulator.requestLog.find((e) => e.operation === 'CreateSecurityProfile')!.input as { Tags: Record<string, string> };
  expect(Object.keys(createInput.Tags).sort()).toEqual([OWNER_TAG_KEY, 'team']);

  // structured JSON logs from Powertools, the create among them, never the pre-signed URL
  const logs = created.logs.map((l) => JSON.parse(l));
  expect(logs).toContainEqual(expect.objectContaining({ message: 'created security profile', securityProfileName: 'Bundle-Smoke', instanceId }));
  expect(logs.every((l) => l.service === 'cdk-connect-security-profiles' && l.level === 'INFO')).toBe(true);
  expect(created.logs.join('\n')).not.toContain(RESPONSE_URL);
  expect(created.logs.join('\n')).not.toContain('SECRET-SIGNATURE');

  emulator.clearRequestLog();
  const updated = await runBundle(cfnEvent('Update', props, { physicalResourceId: arn, oldProperties: props }));
  expect(updated.ok!.PhysicalResourceId).toBe(arn);
  expect(emulator.requestLog.map((e) => e.operation)).toEqual(['DescribeSecurityProfile', 'ListSecurityProfilePermissions', 'ListSecurityProfileApplications']);

  const deleted = await runBundle(cfnEvent('Delete', props, { physicalResourceId: arn }));
  expect(deleted.ok).toEqual({ PhysicalResourceId: arn });
  expect(emulator.listSecurityProfilesIn(instanceId).map((p) => p.arn)).not.toContain(arn);
});

test('the bundled handler fails with a message naming the property', async () => {
  const run = await runBundle(cfnEvent('Create', { InstanceArn: instanceArn, SecurityProfileName: 'Bad.Name' }));
  expect(run.error).toMatch(new RegExp(`^create security profile "Bad.Name" in instance ${instanceId}: invalid property SecurityProfileName: received "Bad.Name"`));
});
