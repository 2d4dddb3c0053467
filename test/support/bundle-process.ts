/**
 * Running the BUNDLED handler (assets/handler/index.js, built by `npx projen bundle:handler`, which the build
 * runs before the tests) in a separate node process with only the environment a test gives it, as a Lambda
 * container would: no module of the repository is loaded beside the bundle.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ENV } from '../../src/private/contract';

/** The bundle's path. */
export const BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

/** Throw, saying how to build it, when the bundle is missing. */
export function requireBundle(): void {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`${BUNDLE} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
}

/** Where the bundle's clients go: the local Connect emulator and DynamoDB, and the stack's table there. */
export interface BundleTargets {
  readonly connectEndpoint: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** The stack name, as logs and metrics show it. */
  readonly serviceName: string;
}

/**
 * The environment of a bundle process: a Lambda container's (Region, credentials, the SDK's endpoint
 * settings pointing at the local services), the provider's variables for the table, a sweep budget and rate
 * limits that do not slow a test down, and `extra` on top.
 */
export function bundleEnv(targets: BundleTargets, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDBUNDLE',
    AWS_SECRET_ACCESS_KEY: 'bundle-secret',
    AWS_ENDPOINT_URL_CONNECT: targets.connectEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: targets.dynamoEndpoint,
    [ENV.desiredStateTable]: targets.tableName,
    [ENV.sweepBudgetMs]: '60000',
    [ENV.rateLimitPerSecond]: '100',
    [ENV.rateLimitBurst]: '100',
    POWERTOOLS_SERVICE_NAME: targets.serviceName,
    ...extra,
  };
}

/** What one step returned: the entry's result, or the message of what it threw. */
export interface BundleOutcome {
  readonly ok?: any;
  readonly error?: string;
}

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

/**
 * Run the steps (`[exported entry, event]`, e.g. `['onEvent', event]` or `['reconcile', {}]`) in one fresh
 * process whose environment is PATH plus `env`; resolves with each step's outcome and the process's stdout
 * (the bundle's log lines).
 */
export function runBundle(env: Record<string, string>, steps: Array<[string, unknown]>): Promise<{ outcomes: BundleOutcome[]; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', RUNNER, BUNDLE], {
      env: { PATH: process.env.PATH, ...env },
      maxBuffer: 10 * 1024 * 1024,
    }, (err, stdout) => {
      const marker = stdout.lastIndexOf('@@RESULT ');
      if (marker < 0) {
        reject(err ?? new Error(`no result from the bundle; stdout: ${stdout.slice(-2000)}`));
        return;
      }
      resolve({ outcomes: JSON.parse(stdout.slice(marker + 9).split('\n')[0]) as BundleOutcome[], stdout });
    });
    child.stdin!.end(JSON.stringify(steps));
  });
}
