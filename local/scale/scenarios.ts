/**
 * Deploy scenarios at scale, shared by test/scale/ and the deploy benchmarks (bench/deploy-bench.ts):
 * the events of a stack's profiles, a round of them released at once into loaded execution
 * environments while another tool competes for the same quotas, and what the emulator's request log
 * says about it (calls per operation, throttles, the ideal time the quotas allow, efficiency).
 *
 * Quotas can be scaled: `scale` k multiplies every rate of the emulator's `realistic` preset and of the
 * handler's client-side buckets (bursts unchanged) and divides the Lambda timeout by k, so a run takes
 * about 1/k of the time. The handler's retry waits are not scaled (they have no setting), so under a
 * scaled quota they are k times longer relative to the token interval: the quota is harder to use fully
 * and a call is closer to its deadline, never easier.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { type CompetitorStats, type CompetitorWorkload, startCompetitor } from './competitor';
import { ConcurrentRun, HANDLER_TIMEOUT_MS, HandlerEnvironments, idealMs } from './concurrent-handlers';
import { CONNECT_API_QUOTAS, ENV } from '../../src/private/contract';
import { cfnEvent } from '../cloudformation/events';
import { ConnectEmulator, connectClientFor } from '../connect-emulator';
import { realisticRules, ThrottleRule } from '../connect-emulator/knobs';

/** The emulator's `realistic` rules with every rate multiplied by `scale`. */
export function scaledRealisticRules(scale: number): { default: ThrottleRule; [operation: string]: ThrottleRule } {
  const rules = realisticRules();
  const scaled = Object.entries(rules).map(([op, r]) => [op, { rate: r.rate * scale, burst: r.burst }]);
  return Object.fromEntries(scaled) as ReturnType<typeof realisticRules>;
}

/** The handler's environment for quotas scaled by `scale`: its buckets and its Lambda timeout. */
export function scaledHandlerSettings(scale: number): { env: Record<string, string>; timeoutMs: number } {
  const limits = Object.fromEntries(Object.entries(CONNECT_API_QUOTAS)
    .map(([op, q]) => [op, { ratePerSecond: q.ratePerSecond * scale, burst: q.burst }]));
  return { env: { [ENV.rateLimits]: JSON.stringify(limits) }, timeoutMs: HANDLER_TIMEOUT_MS / scale };
}

/** The stack every scenario's resources belong to. */
export const SCALE_STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/ScaleStack/5b6a1e40-0000-4000-8000-000000000013';

/** The properties of profile `i` of the stack; `revision` 2 changes description, permissions and a tag of every profile. */
export function profileProperties(instanceArn: string, i: number, revision: 1 | 2 = 1): Record<string, unknown> {
  return {
    ContractVersion: '1',
    InstanceArn: instanceArn,
    SecurityProfileName: `Scale-${i}`,
    Description: revision === 1 ? `profile ${i} of a large stack` : `profile ${i} of a large stack, revised`,
    Permissions: revision === 1 ? ['BasicAgentAccess', 'Users.View'] : ['BasicAgentAccess', 'Users.View', 'Queues.View'],
    Tags: { team: `t${i % 7}`, revision: String(revision) },
    RemovalPolicy: 'Delete',
    DriftMode: 'DISABLED',
  };
}

/** One profile of the stack: where it lives. */
export interface StackProfile {
  readonly index: number;
  readonly instanceArn: string;
}

/** `count` profiles spread evenly over the instances, in order. */
export function stackProfiles(instanceArns: readonly string[], count: number): StackProfile[] {
  return Array.from({ length: count }, (_, i) => ({ index: i, instanceArn: instanceArns[Math.floor((i * instanceArns.length) / count)] }));
}

/** The Create events of a first deploy. */
export function createEvents(profiles: readonly StackProfile[]): CloudFormationCustomResourceEvent[] {
  return profiles.map((p) => cfnEvent('Create', profileProperties(p.instanceArn, p.index), { logicalId: `Profile${p.index}`, stackId: SCALE_STACK_ID }));
}

/** The Update events that change every profile (`arns`: the physical ids the Creates returned). */
export function updateEvents(profiles: readonly StackProfile[], arns: readonly string[]): CloudFormationCustomResourceEvent[] {
  return profiles.map((p, k) => cfnEvent('Update', profileProperties(p.instanceArn, p.index, 2), {
    logicalId: `Profile${p.index}`, stackId: SCALE_STACK_ID, physicalResourceId: arns[k], oldProperties: profileProperties(p.instanceArn, p.index),
  }));
}

/** The Delete events of the stack's deletion. */
export function deleteEvents(profiles: readonly StackProfile[], arns: readonly string[]): CloudFormationCustomResourceEvent[] {
  return profiles.map((p, k) => cfnEvent('Delete', profileProperties(p.instanceArn, p.index, 2), {
    logicalId: `Profile${p.index}`, stackId: SCALE_STACK_ID, physicalResourceId: arns[k],
  }));
}

/** Calls of one operation in a round, from the request log. */
export interface OperationCalls {
  /** Requests the quota let through, by the handlers and the other tool together. */
  readonly served: number;
  /** Of those, the other tool's. */
  readonly servedOther: number;
  /** Requests throttled (everyone's). */
  readonly throttled: number;
  /** The operation's quota (requests per second) in this run. */
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** One round measured. */
export interface RoundResult {
  readonly run: ConcurrentRun;
  readonly competitor: CompetitorStats;
  /** Every operation the handlers called. */
  readonly operations: Record<string, OperationCalls>;
  /** The shortest time the quotas allow: max over the operations the handlers used of (served − burst) / rate. */
  readonly idealMs: number;
  /** The operation that sets `idealMs`. */
  readonly bindingOperation: string;
  /** idealMs / run.wallMs. */
  readonly efficiency: number;
}

/** The other tool of a round. */
export interface CompetitorOptions {
  /** Its own instance. */
  readonly instanceId: string;
  /** Rounds of its work per second (at scale 1; multiplied by `scale`). */
  readonly ratePerSecond: number;
  readonly workload: CompetitorWorkload;
}

/**
 * Release `events` at once into `environments` with the other tool working beside them, and measure.
 *
 * @param scale the factor the emulator's rates were multiplied by (the other tool's rate follows)
 */
export async function measureRound(
  emulator: ConnectEmulator, environments: HandlerEnvironments, events: readonly CloudFormationCustomResourceEvent[],
  competitorOptions: CompetitorOptions, scale: number,
): Promise<RoundResult> {
  const client = connectClientFor(emulator, { maxAttempts: 1 });
  let competitor: ReturnType<typeof startCompetitor> | undefined;
  let stats: CompetitorStats | undefined;
  let since = 0;
  let run: ConcurrentRun;
  try {
    run = await environments.run(events, () => {
      since = emulator.requestLog.length;
      competitor = startCompetitor(client, competitorOptions.instanceId, competitorOptions.ratePerSecond * scale, competitorOptions.workload);
    });
  } finally {
    stats = await competitor?.stop();
    client.destroy();
  }
  const rules = scaledRealisticRules(scale);
  const window = emulator.requestLog.slice(since).filter((e) => e.time >= run.startedAt && e.time <= run.endedAt);
  const isOther = (input: unknown) => JSON.stringify(input ?? {}).includes(competitorOptions.instanceId);
  const used = new Set(window.filter((e) => !isOther(e.input)).map((e) => e.operation));
  const operations: Record<string, OperationCalls> = {};
  for (const op of [...used].sort()) {
    const of = window.filter((e) => e.operation === op);
    const served = of.filter((e) => e.errorType !== 'ThrottlingException');
    const rule = rules[op] ?? rules.default;
    operations[op] = {
      served: served.length,
      servedOther: served.filter((e) => isOther(e.input)).length,
      throttled: of.length - served.length,
      ratePerSecond: rule.rate,
      burst: rule.burst,
    };
  }
  const quotaOf = (op: string) => ({ rate: operations[op].ratePerSecond, burst: operations[op].burst });
  const served = Object.fromEntries(Object.entries(operations).map(([op, c]) => [op, c.served]));
  const ideal = idealMs(served, quotaOf);
  const binding = Object.keys(served).reduce((a, b) => (idealMs({ [b]: served[b] }, quotaOf) > idealMs({ [a]: served[a] }, quotaOf) ? b : a), Object.keys(served)[0] ?? '');
  return {
    run,
    competitor: stats ?? { attempts: 0, completed: 0, throttled: 0, errors: [] },
    operations,
    idealMs: ideal,
    bindingOperation: binding,
    efficiency: run.wallMs > 0 ? ideal / run.wallMs : 0,
  };
}

/** One line about a round, for logs. */
export function describeRound(name: string, r: RoundResult): string {
  const ops = Object.entries(r.operations).map(([op, c]) => `${op} ${c.served} (${c.servedOther} other tool) +${c.throttled} throttled`).join(', ');
  return `${name}: ${r.run.outcomes.length} events, ${r.run.failures.length} failed, ${(r.run.wallMs / 1000).toFixed(1)} s `
    + `(ideal ${(r.idealMs / 1000).toFixed(1)} s by ${r.bindingOperation}: efficiency ${r.efficiency.toFixed(2)}); ${ops}; `
    + `other tool: ${r.competitor.completed}/${r.competitor.attempts} rounds done, ${r.competitor.throttled} throttled`;
}
