/**
 * A first deploy of 96 profiles on one instance (Connect's 100-profile quota less its 4 default
 * profiles), every Create in its own process running the BUNDLED handler, all at once as CloudFormation
 * may start them, under the emulator's `realistic` throttling (CreateSecurityProfile 2 requests/s,
 * burst 5, per account) while another tool spends part of the same CreateSecurityProfile quota.
 * Every Create must succeed the first time: a single failure rolls the stack back.
 *
 * Long by nature: at Connect's real rate the 96 creates need at least (96 - 5) / 2 = 45.5 s, more
 * with the other tool's share; about 1 to 1.5 minutes in all, plus starting 96 node processes. The
 * rates are not scaled, so the handler's retry waits (up to 5 s) meet the quota as they would in AWS.
 */
import { DescribeSecurityProfileCommand, ListSecurityProfilesCommand } from '@aws-sdk/client-connect';
import { startCompetitor } from './competitor';
import { runConcurrently } from './concurrent-handlers';
import { ownerMark } from '../../lambda/owner';
import { OWNER_TAG_KEY } from '../../src/private/contract';
import { ConnectEmulator, connectClientFor, startConnectEmulator } from '../connect-emulator';
import { cfnEvent } from '../handler/helpers';

const PROFILES = 96;
/** The other tool's CreateSecurityProfile attempts per second: a quarter of the quota. */
const COMPETITOR_RATE = 0.5;

let emulator: ConnectEmulator;

beforeAll(async () => {
  emulator = await startConnectEmulator({ throttling: 'realistic' });
});

afterAll(async () => {
  await emulator?.stop();
});

test(`${PROFILES} concurrent Creates in separate processes all succeed, with another tool on the same quota`, async () => {
  const { instanceId, instanceArn } = emulator.createInstance({ alias: 'scale-creates' });
  const other = emulator.createInstance({ alias: 'other-tool' });
  const events = Array.from({ length: PROFILES }, (_, i) => cfnEvent('Create', {
    ContractVersion: '1',
    InstanceArn: instanceArn,
    SecurityProfileName: `Scale-${i}`,
    Description: `profile ${i} of a large stack`,
    Permissions: ['BasicAgentAccess', 'Users.View'],
    Tags: { team: `t${i % 7}` },
    RemovalPolicy: 'Delete',
    DriftMode: 'DISABLED',
  }, { logicalId: `Profile${i}` }));
  const client = connectClientFor(emulator, { maxAttempts: 1 });
  let competitor: ReturnType<typeof startCompetitor> | undefined;

  let run;
  try {
    run = await runConcurrently({
      endpoint: emulator.endpoint,
      region: emulator.region,
      events,
      onReady: () => {
        emulator.clearRequestLog();
        competitor = startCompetitor(client, other.instanceId, COMPETITOR_RATE);
      },
    });
  } finally {
    const stats = await competitor?.stop();
    if (stats) console.log(`other tool: ${stats.attempts} CreateSecurityProfile sent, ${stats.created} created, ${stats.throttled} throttled`);
    if (stats) expect(stats.errors).toEqual([]);
    if (stats) expect(stats.created).toBeGreaterThan(0);
  }
  const creates = emulator.requestLog.filter((e) => e.operation === 'CreateSecurityProfile');
  console.log(`${PROFILES} creates in ${(run.wallMs / 1000).toFixed(1)} s after ${(run.loadMs / 1000).toFixed(1)} s of start-up; `
    + `${creates.filter((e) => e.status === 429).length} CreateSecurityProfile attempts throttled`);

  // THEN not one Create failed
  expect(run.failures.map((f) => `${f.index}: ${f.error}`)).toEqual([]);
  // the quota was really contended (by the handlers and the other tool alike)
  expect(creates.filter((e) => e.errorType === 'ThrottlingException').length).toBeGreaterThan(PROFILES);
  // and every profile exists once, owned by its resource
  const live = (await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, MaxResults: 1000 }))).SecurityProfileSummaryList ?? [];
  const names = live.map((p) => p.Name!).filter((n) => n.startsWith('Scale-')).sort();
  expect(names).toEqual(events.map((_, i) => `Scale-${i}`).sort());
  const ids = new Set(run.outcomes.map((o) => o.ok?.Data?.SecurityProfileId));
  expect(ids.size).toBe(PROFILES);
  emulator.configure({ throttling: 'off' });
  const owners = await Promise.all(run.outcomes.map(async (o) => (await client.send(new DescribeSecurityProfileCommand({
    InstanceId: instanceId, SecurityProfileId: o.ok!.Data!.SecurityProfileId,
  }))).SecurityProfile?.Tags?.[OWNER_TAG_KEY]));
  expect(owners).toEqual(events.map((e) => ownerMark(e.StackId, e.LogicalResourceId)));
  client.destroy();
}, 5 * 60 * 1000);
