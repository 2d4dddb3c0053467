/**
 * The pre-signed ResponseURL and the Lambda credentials never reach the logs.
 *
 * Runs the BUNDLED handler (assets/handler/index.js, what ships) in a separate node process, as Lambda
 * would: credentials in the environment, Powertools logging at DEBUG (the most it ever prints), the
 * emulator injecting faults so the retry and error paths log too. Captures everything the process writes
 * to stdout and stderr and looks for every secret, whole and in the pieces a logger could print.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { cfnEvent } from '../../local/cloudformation/events';
import { ConnectEmulator, startConnectEmulator } from '../../local/connect-emulator';
import { HANDLER_ENTRY } from '../../src/private/contract';

const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

const SIGNATURE = '9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0';
const SECURITY_TOKEN = 'IQoJb3JpZ2luX2VjEFAKEPRESIGNEDSESSIONTOKEN0123456789';
const RESPONSE_URL = 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/arn%3Aaws%3Acloudformation%3Aus-east-1%3A123456789012%3Astack/LogTest/'
  + '5a6b%7CProfile%7Creq-1?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261125T010000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=7200'
  + `&X-Amz-Credential=AKIAPRESIGNEDCREDENTIAL%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=${SECURITY_TOKEN}&X-Amz-Signature=${SIGNATURE}`;
const ACCESS_KEY_ID = 'ASIALAMBDAROLEKEYID01';
const SECRET_ACCESS_KEY = 'lambdaRoleSecretAccessKey/0123456789+abcdefghijkl';
const SESSION_TOKEN = 'LambdaRoleSessionTokenFwoGZXIvYXdzEJr0123456789abcdef';

/** Everything that must never appear in a log line. */
const SECRETS = [RESPONSE_URL, SIGNATURE, SECURITY_TOKEN, 'AKIAPRESIGNEDCREDENTIAL', 'X-Amz-Signature', 'X-Amz-Credential', ACCESS_KEY_ID, SECRET_ACCESS_KEY, SESSION_TOKEN];

/** Loads the bundle, runs each event on stdin in turn through one warm container, prints each outcome. */
const RUNNER = `
const handler = require(process.argv[1]);
let input = '';
process.stdin.on('data', (d) => { input += d; });
process.stdin.on('end', async () => {
  for (const event of JSON.parse(input)) {
    try {
      const out = await handler[process.argv[2]](event);
      process.stdout.write('\\n@@RESULT ' + JSON.stringify({ ok: out.PhysicalResourceId }) + '\\n');
    } catch (e) {
      process.stdout.write('\\n@@RESULT ' + JSON.stringify({ error: String(e && e.message).slice(0, 200) }) + '\\n');
    }
  }
});
`;

let emulator: ConnectEmulator;
let instanceArn: string;
let instanceId: string;

beforeAll(async () => {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  emulator = await startConnectEmulator();
  ({ instanceArn, instanceId } = emulator.createInstance({ alias: 'log-secrets' }));
});

afterAll(async () => {
  await emulator?.stop();
});

function run(events: CloudFormationCustomResourceEvent[]): Promise<{ output: string; results: Array<{ ok?: string; error?: string }> }> {
  const entry = HANDLER_ENTRY.onEvent.split('.')[1];
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', RUNNER, BUNDLE, entry], {
      env: {
        PATH: process.env.PATH,
        AWS_REGION: emulator.region,
        AWS_ENDPOINT_URL_CONNECT: emulator.endpoint,
        AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN: SESSION_TOKEN,
        AWS_LAMBDA_FUNCTION_NAME: 'CdkConnectSecurityProfilesProviderHandler',
        POWERTOOLS_LOG_LEVEL: 'DEBUG',
        POWERTOOLS_LOGGER_LOG_EVENT: 'true',
        CONNECT_RATE_LIMIT_PER_SECOND: '1000',
        CONNECT_RATE_LIMIT_BURST: '1000',
        CONNECT_MAX_ATTEMPTS: '4',
      },
      timeout: 60_000,
      maxBuffer: 16 * 1024 * 1024,
    }, (err, stdout, stderr) => {
      if (err && !stdout.includes('@@RESULT')) {
        reject(new Error(`bundle process failed: ${err.message}\n${stderr}`));
        return;
      }
      const results = stdout.split('\n').filter((l) => l.startsWith('@@RESULT ')).map((l) => JSON.parse(l.slice('@@RESULT '.length)));
      resolve({ output: `${stdout}\n${stderr}`, results });
    });
    child.stdin!.end(JSON.stringify(events));
  });
}

const LOG_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/LogTest/5a6b7c8d-0000-4000-8000-000000000001';
function event(requestType: 'Create' | 'Update' | 'Delete', props: Record<string, unknown>, physicalResourceId?: string, old?: Record<string, unknown>) {
  return cfnEvent(requestType, props, { physicalResourceId, oldProperties: old, stackId: LOG_STACK_ID, logicalId: 'Profile', responseUrl: RESPONSE_URL });
}

test('no log line of the bundled handler carries the ResponseURL or the credentials, on success, retry and failure paths', async () => {
  const props = { ContractVersion: '1', InstanceArn: instanceArn, SecurityProfileName: 'Log-Test', Permissions: ['BasicAgentAccess'] };

  // 1: create, update and delete cleanly, and fail on a bad property
  const create = event('Create', props);
  const clean = await run([
    create,
    event('Create', { ...props, SecurityProfileName: 'Bad/Name' }),
  ]);
  const arn = clean.results[0].ok!;
  expect(arn).toMatch(/\/security-profile\//);
  expect(clean.results[1].error).toMatch(/SecurityProfileName/);

  // 2: the same under injected faults (retries log at DEBUG), then a delete that fails (profile in use)
  emulator.configure({ faults: { internalError: 0.15, throttle: 0.15, dropConnection: 0.1, seed: 99 } });
  const profileId = arn.slice(arn.lastIndexOf('/') + 1);
  emulator.seedUser(instanceId, { username: 'agent.logs', securityProfileIds: [profileId] });
  const faulty = await run([
    event('Update', { ...props, Description: 'changed' }, arn, props),
    event('Delete', props, arn),
  ]);
  emulator.configure({ faults: {} });
  expect(faulty.results[1].error).toMatch(/agent\.logs|still in use/);

  const output = `${clean.output}\n${faulty.output}`;
  // the logs were captured (the test can see a leak if there is one)
  expect(output).toMatch(/created security profile/);
  expect(output).toMatch(/"level":"DEBUG"|"level":"debug"|retrying Connect call/i);
  expect(output).toMatch(/"level":"ERROR"|request failed/i);
  for (const secret of SECRETS) {
    expect({ secret, found: output.includes(secret) }).toEqual({ secret, found: false });
  }
  // the request id and stack are logged (what an operator needs), so redaction did not just drop everything
  expect(output).toContain(`"requestId":"${create.RequestId}"`);
  expect(output).toContain(LOG_STACK_ID);
});
