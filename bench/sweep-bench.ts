/**
 * Sweep efficiency under emulated throttling: the ideal time over the actual time of a sweep of N
 * profiles by the real bundled reconciler.
 *
 * N profiles (bench-app.ts, drift on, one stack so one reconciler sweeps them all, at most 90 profiles
 * per instance) are deployed through the local CloudFormation player with throttling off. Then the
 * emulator throttles every operation with a token bucket of its own of `2 × scale` requests/s (burst 5),
 * as Connect's quotas are per API; the reconciler's client-side buckets (one per operation) get the same
 * rate (`CONNECT_RATE_LIMIT_PER_SECOND` sets the default of every operation), and one sweep runs to
 * completion from a cold start. The rate is scaled up only to keep the run short: the ratio is what counts.
 *
 * Two ideals: per API (the target's), the slowest operation's (calls − burst) / rate, which is what the
 * per-API quotas allow with the reads of different profiles overlapped; and the old single-bucket ideal,
 * all calls / one rate, which is what a limiter with one bucket for every operation allowed.
 *
 * A CloudFormation stack holds at most 500 resources, so for N past that the app lifts CDK's check
 * (`@aws-cdk/core:stackResourceLimit` 0): the local player deploys it, CloudFormation would not. The
 * figure is the sweep's throughput, which depends on how many profiles one reconciler checks, not on
 * how they were deployed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spreadOverInstances } from './bench-app';
import { startLocalAws } from '../local/aws';
import { readAssembly } from '../local/cloudformation/assembly';
import { CloudFormationPlayer } from '../local/cloudformation/player';
import { idealMs as quotaIdealMs } from '../local/scale/concurrent-handlers';
import { findReconciler, runSweepToCompletion } from '../local/scheduled-sweep';
import { synthesizeInFreshProcess } from '../local/synth';
import { ENV } from '../src/private/contract';

/** CDK's context key for the most resources a stack may hold (0: no check). */
const STACK_RESOURCE_LIMIT_CONTEXT = '@aws-cdk/core:stackResourceLimit';

/** Connect's default rate for the security-profile APIs, requests per second. */
export const CONNECT_DEFAULT_RATE = 2;
/** Connect's default burst. */
export const CONNECT_DEFAULT_BURST = 5;

/** The result for one N. */
export interface SweepEfficiency {
  readonly profiles: number;
  /** The allowed rate used (Connect's 2 requests/s × scale). */
  readonly ratePerSecond: number;
  readonly scale: number;
  /** Requests the sweep sent (including throttled ones). */
  readonly calls: number;
  readonly throttled: number;
  /** The old single-bucket ideal: calls / ratePerSecond. */
  readonly idealMs: number;
  /** Wall time of the reconciler invocations until the sweep completed (cold start included). */
  readonly actualMs: number;
  /** idealMs / actualMs: the old single-bucket figure. */
  readonly efficiency: number;
  readonly invocations: number;
  /** Profiles the sweep reported with an error or missing (0 expected). */
  readonly failedProfiles: number;
  readonly checkedProfiles: number;
  /** The per-API ideal: max over the operations of (calls not throttled − burst) / rate. */
  readonly perOperationIdealMs: number;
  /** perOperationIdealMs / actualMs: the target's figure. */
  readonly perOperationEfficiency: number;
  readonly byOperation: Record<string, number>;
}

/**
 * Deploy N profiles and time one throttled sweep.
 */
export async function measureSweep(profiles: number, scale: number, log: (line: string) => void): Promise<SweepEfficiency> {
  const aws = await startLocalAws({ throttling: 'off' });
  const workdir = mkdtempSync(join(tmpdir(), 'connect-sp-bench-sweep-'));
  // seeding runs unthrottled: it is not what is measured
  const seedingEnv = { ...aws.functionEnvironment, [ENV.rateLimitPerSecond]: '10000', [ENV.rateLimitBurst]: '10000' };
  const player = new CloudFormationPlayer({
    services: { connect: aws.connect, dynamodb: aws.dynamodb, region: aws.region, accountId: aws.accountId, partition: 'aws' },
    functionEnvironment: seedingEnv,
  });
  try {
    const perInstance = 90;
    const instanceArns = spreadOverInstances(profiles, perInstance).map((_, k) => aws.emulator.createInstance({ alias: `bench-sweep-${k}` }).instanceArn);
    const outdir = join(workdir, 'cdk.out');
    const t0 = performance.now();
    await synthesizeInFreshProcess({
      entry: join(__dirname, 'bench-app.ts'),
      outdir,
      context: {
        variant: 'l2',
        profiles: String(profiles),
        perInstance: String(perInstance),
        instanceArns: instanceArns.join(','),
        drift: 'remediate',
        singleStack: 'true',
        ...(profiles > 400 ? { [STACK_RESOURCE_LIMIT_CONTEXT]: '0' } : {}),
      },
    });
    const stack = readAssembly(outdir).find((s) => s.stackName === 'Bench0')!;
    const deployed = await player.deploy(stack);
    if (deployed.status !== 'CREATE_COMPLETE') {
      throw new Error(`bench: deploying ${profiles} profiles failed: ${deployed.operations.filter((o) => !o.ok).slice(0, 3).map((o) => `${o.logicalId}: ${o.reason}`).join('; ')}`);
    }
    log(`N=${profiles}: synthesized and deployed ${profiles} profiles over ${instanceArns.length} instances in ${((performance.now() - t0) / 1000).toFixed(1)} s (unthrottled, not measured)`);
    const reconciler = findReconciler(player, 'Bench0');
    if (!reconciler) {
      throw new Error('bench: the stack has no reconciler');
    }

    const ratePerSecond = CONNECT_DEFAULT_RATE * scale;
    aws.emulator.configure({ throttling: { default: { rate: ratePerSecond, burst: CONNECT_DEFAULT_BURST } } });
    await player.setFunctionEnvironment({
      ...aws.functionEnvironment,
      [ENV.rateLimitPerSecond]: String(ratePerSecond),
      [ENV.rateLimitBurst]: String(CONNECT_DEFAULT_BURST),
    });
    const since = aws.emulator.requestLog.length;
    const run = await runSweepToCompletion(player, 'Bench0', reconciler);
    const entries = aws.emulator.requestLog.slice(since);
    if (!run.complete) {
      throw new Error(`bench: the sweep of ${profiles} profiles did not complete: ${run.invocations.map((i) => i.error?.errorMessage).filter(Boolean).join('; ')}`);
    }
    const byOperation: Record<string, number> = {};
    for (const e of entries) {
      byOperation[e.operation] = (byOperation[e.operation] ?? 0) + 1;
    }
    const calls = entries.length;
    const idealMs = (calls / ratePerSecond) * 1000;
    const actualMs = run.invocations.reduce((sum, i) => sum + i.durationMs, 0);
    const served: Record<string, number> = {};
    for (const e of entries) {
      if (e.errorType !== 'ThrottlingException') served[e.operation] = (served[e.operation] ?? 0) + 1;
    }
    const perOperationIdealMs = quotaIdealMs(served, () => ({ rate: ratePerSecond, burst: CONNECT_DEFAULT_BURST }));
    return {
      profiles,
      ratePerSecond,
      scale,
      calls,
      throttled: entries.filter((e) => e.errorType === 'ThrottlingException').length,
      idealMs,
      actualMs,
      efficiency: idealMs / actualMs,
      invocations: run.invocations.length,
      failedProfiles: run.outcomes.filter((o) => o.error !== undefined || /error|missing/i.test(o.status)).length,
      checkedProfiles: run.outcomes.length,
      perOperationIdealMs,
      perOperationEfficiency: perOperationIdealMs / actualMs,
      byOperation,
    };
  } finally {
    await player.stop();
    await aws.stop();
    rmSync(workdir, { recursive: true, force: true });
  }
}
