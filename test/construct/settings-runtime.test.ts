/**
 * `SecurityProfileSettings` as the deployed functions see them: the environment the template gives the
 * handler and the reconciler, read by the real gateway and the real reconciler entry against the Connect
 * emulator over HTTP (and dynalite for the table).
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConnectApi } from '../../lambda/connect-api';
import { ConnectApiError } from '../../lambda/errors';
import { OperationRateLimiter, rateLimitsFromEnv } from '../../lambda/rate-limiter';
import { createReconciler } from '../../lambda/reconciler.lambda';
import { connectClientFor } from '../../local/connect-emulator';
import { ConnectOperation, ConnectRateLimit, Instance, SecurityProfile, SecurityProfileSettings, SecurityProfileSettingsProps } from '../../src';
import { ENV } from '../../src/private/contract';
import { Harness, startHarness } from '../drift/harness';
import { fullyDeclaredProfile } from '../support/profile-properties';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/inst-1';

/** The environment the template gives the function with this entry, for these settings. */
function deployedEnvironment(settings: SecurityProfileSettingsProps, entry: string): Record<string, string> {
  const stack = new Stack(new App(), 'Stack', { env: { account: '111122223333', region: 'eu-west-2' } });
  new SecurityProfileSettings(stack, 'Settings', settings);
  new SecurityProfile(stack, 'Agents', { instance: Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN), securityProfileName: 'Agents' });
  const [fn] = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function', { Properties: { Handler: entry } }));
  const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
  // the settings are literals; the table name and role ARNs (tokens) are the harness's own
  return Object.fromEntries(Object.entries(variables).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

let h: Harness;
const saved = { ...process.env };

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  process.env = saved;
  await h.stop();
});

beforeEach(() => {
  process.env = { ...saved };
  h.emulator.configure({ faults: {}, throttling: 'off' });
});

/** The gateway as the handler builds it, from its environment. */
function gatewayFrom(env: Record<string, string>, onRetry?: (delayMs: number) => void): ConnectApi {
  Object.assign(process.env, env);
  return new ConnectApi(connectClientFor(h.emulator, { maxAttempts: 1 }), {
    rateLimiter: new OperationRateLimiter(rateLimitsFromEnv(process.env)),
    onRetry: ({ delayMs }) => onRetry?.(delayMs),
  });
}

test('maxErrorAttempts and maxRetryDelay bound the handler\'s retries of a failing call', async () => {
  // GIVEN
  const env = deployedEnvironment({ maxErrorAttempts: 3, maxRetryDelay: Duration.millis(20) }, 'index.onEvent');
  const delays: number[] = [];
  const api = gatewayFrom(env, (ms) => delays.push(ms));
  const profileId = h.emulator.createInstance().defaultSecurityProfileIds.Agent;
  h.emulator.configure({ faults: { internalError: 1, operations: ['DescribeSecurityProfile'] } });

  // WHEN
  const err = await api.describeSecurityProfile(h.instanceId, profileId).then(() => undefined, (e: unknown) => e);

  // THEN
  expect(err).toBeInstanceOf(ConnectApiError);
  expect((err as ConnectApiError).attempts).toBe(3);
  expect(delays).toHaveLength(2);
  for (const ms of delays) expect(ms).toBeLessThanOrEqual(20);
});

test('a rate limit of one operation paces that operation', async () => {
  // GIVEN: DescribeSecurityProfile at 10 per second with a burst of 1
  const env = deployedEnvironment({
    rateLimits: [ConnectRateLimit.forOperation(ConnectOperation.DESCRIBE_SECURITY_PROFILE, 10, { burst: 1 })],
  }, 'index.onEvent');
  const api = gatewayFrom(env);
  const instance = h.emulator.createInstance();
  const profileId = instance.defaultSecurityProfileIds.Agent;

  // WHEN
  const started = Date.now();
  for (let i = 0; i < 6; i++) await api.describeSecurityProfile(instance.instanceId, profileId);
  const paced = Date.now() - started;

  // THEN: five waits of 100 ms at least (a lower bound: the bucket cannot be faster)
  expect(paced).toBeGreaterThanOrEqual(450);
});

describe('accessScopeReport', () => {
  let key: string;

  beforeAll(async () => {
    const { groupId } = h;
    key = (await h.manage(fullyDeclaredProfile('Scoped', groupId), 'DETECT_ONLY')).key;
  });

  /** One complete sweep by the reconciler entry, configured by `env` as the provider deploys it. */
  async function sweepWith(env: Record<string, string>): Promise<void> {
    Object.assign(process.env, h.functionEnv({ POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' }));
    // the harness's table, stack and rate limits stand in for the deployed ones
    const reconcile = createReconciler({ env: { ...env, ...h.functionEnv({ [ENV.ownerStackName]: 'DriftTest' }) } });
    const result = await reconcile({ source: 'cdk-connect-security-profiles.sweep' });
    expect(result.kind === 'sweep' && result.report.complete).toBe(true);
  }

  test('off: the sweep checks the profile and writes no access-scope report', async () => {
    // GIVEN
    const env = deployedEnvironment({ accessScopeReport: false }, 'index.reconcile');
    expect(env[ENV.accessScopeReport]).toBe('false');

    // WHEN
    await sweepWith(env);

    // THEN
    const record = await h.store.get(key);
    expect(record?.lastResult?.status).toBe('IN_SYNC');
    expect(record?.accessScope).toBeUndefined();
  });

  test('by default the same sweep reports it', async () => {
    // GIVEN
    const env = deployedEnvironment({}, 'index.reconcile');
    expect(env[ENV.accessScopeReport]).toBeUndefined();

    // WHEN
    await sweepWith(env);

    // THEN
    const record = await h.store.get(key);
    expect(record?.lastResult?.status).toBe('IN_SYNC');
    expect(record?.accessScope).toBeDefined();
  });
});
