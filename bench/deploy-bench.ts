/**
 * Deploys at scale under Connect's quotas: a stack's first deploy (every Create at once, each in an
 * execution environment of its own running the bundled handler), an Update that changes every profile,
 * and the stack's Delete, while another tool spends the same quotas; each as a ratio against the ideal
 * the binding per-API quota sets (local/scale/scenarios.ts), and the events that failed.
 *
 * The emulator throttles with its `realistic` preset (Connect's default quotas, per account: the
 * instances share them) multiplied by `scale`, and the handler's buckets follow (1: Connect's real rates).
 */
import { startConnectEmulator } from '../local/connect-emulator';
import { startHandlerEnvironments } from '../local/scale/concurrent-handlers';
import {
  createEvents, deleteEvents, describeRound, measureRound, RoundResult, scaledHandlerSettings, scaledRealisticRules, stackProfiles, updateEvents,
} from '../local/scale/scenarios';

/** The other tool's rounds of work per second at Connect's real rates: a quarter of a 2/s quota. */
export const COMPETITOR_RATE = 0.5;

/** One stack's deploy, update and delete. */
export interface DeployResult {
  readonly profiles: number;
  readonly instances: number;
  readonly scale: number;
  /** Child processes the execution environments were spread over. */
  readonly processes: number;
  readonly create: RoundResult;
  /** Absent when the update was not measured. */
  readonly update?: RoundResult;
  /** Absent when the delete was not measured. */
  readonly delete?: RoundResult;
}

/** What to measure. */
export interface DeployOptions {
  readonly profiles: number;
  readonly instances: number;
  /** Measure the Update that changes every profile. */
  readonly update: boolean;
  /** Measure the stack's Delete. */
  readonly delete: boolean;
  /** Rates × scale (1: Connect's). */
  readonly scale: number;
  /** Child processes to spread the environments over (memory: about 85 MB a process, 8 MB more an environment). */
  readonly processes: number;
  readonly log: (line: string) => void;
}

/**
 * Deploy, update and delete a stack of `profiles` over `instances` instances, each round measured.
 */
export async function measureDeploy(options: DeployOptions): Promise<DeployResult> {
  const { profiles, instances, scale } = options;
  const emulator = await startConnectEmulator({ throttling: { ...scaledRealisticRules(scale) } });
  const perInstance = Math.ceil(profiles / instances);
  const arns = Array.from({ length: instances }, (_, k) => emulator.createInstance({
    alias: `bench-deploy-${k}`,
    // Connect's default is 100 including the 4 default profiles; a larger stack raises it (Service Quotas)
    securityProfileQuota: Math.max(100, perInstance + 4),
  }).instanceArn);
  const other = emulator.createInstance({ alias: 'other-tool', securityProfileQuota: 10_000 });
  const settings = scaledHandlerSettings(scale);
  const environments = await startHandlerEnvironments({
    endpoint: emulator.endpoint,
    region: emulator.region,
    environments: profiles,
    processes: options.processes,
    env: settings.env,
    timeoutMs: settings.timeoutMs,
  });
  options.log(`${profiles} execution environments loaded in ${options.processes} processes in ${(environments.loadMs / 1000).toFixed(1)} s`);
  try {
    const stack = stackProfiles(arns, profiles);
    const competitor = (workload: 'create-delete' | 'update') => ({ instanceId: other.instanceId, ratePerSecond: COMPETITOR_RATE, workload });
    const create = await measureRound(emulator, environments, createEvents(stack), competitor('create-delete'), scale);
    options.log(describeRound('create', create));
    const physicalIds = create.run.outcomes.map((o) => o.ok?.PhysicalResourceId ?? '');
    let update: RoundResult | undefined;
    if (options.update) {
      update = await measureRound(emulator, environments, updateEvents(stack, physicalIds), competitor('update'), scale);
      options.log(describeRound('update', update));
    }
    let deleted: RoundResult | undefined;
    if (options.delete) {
      deleted = await measureRound(emulator, environments, deleteEvents(stack, physicalIds), competitor('create-delete'), scale);
      options.log(describeRound('delete', deleted));
    }
    return {
      profiles, instances, scale, processes: options.processes, create, ...(update ? { update } : {}), ...(deleted ? { delete: deleted } : {}),
    };
  } finally {
    environments.stop();
    await emulator.stop();
  }
}
