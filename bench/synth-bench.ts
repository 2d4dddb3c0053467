/**
 * Synth time of N profiles written with the L2 vs the same N with `CfnSecurityProfile`, each synthesis
 * in a fresh process, alternating, medians over repetitions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alternate, median } from './stats';
import { synthesizeInFreshProcess } from '../local/synth';

/** Timings one synthesis reports (see bench-app.ts). */
export interface AppTimings {
  readonly appMs: number;
  readonly cpuMs: number;
  readonly cdkLoadMs: number;
  readonly libraryLoadMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
  /** Wall time of the whole process, measured by the parent. */
  readonly wallMs: number;
}

/** Medians of one variant. */
export interface SynthSummary {
  readonly cpuMs: number;
  readonly libraryLoadMs: number;
  readonly appMs: number;
  readonly wallMs: number;
  readonly constructMs: number;
  readonly synthMs: number;
}

/** The result for one N. */
export interface SynthComparison {
  readonly profiles: number;
  readonly repetitions: number;
  readonly l2: SynthSummary;
  readonly cfn: SynthSummary;
  /**
   * Median CPU time (user + system) of the app from its first line to the end of synthesis (library
   * load, construction, synthesis), L2 over L1. The target's figure: CPU time is what other work on
   * the machine disturbs least.
   */
  readonly ratio: number;
  /** The same span in wall-clock time, L2 over L1. */
  readonly appWallRatio: number;
  /** Median whole-process wall time, L2 over L1 (diluted by node's and tsx's start). */
  readonly wallRatio: number;
  /**
   * The same comparison with aws-cdk-lib's built-in CloudFormation template validation off
   * (`CDK_VALIDATION=false`): what is left is the two apps' own work. The validator's engine costs both
   * variants the same fixed seconds of CPU, which is most of either run.
   */
  readonly withoutValidation?: {
    readonly l2: SynthSummary;
    readonly cfn: SynthSummary;
    /** Median CPU time, L2 over L1, validation off. */
    readonly ratio: number;
  };
}

/**
 * Compare L2 and L1 synthesis for `profiles` profiles.
 */
export async function compareSynth(
  profiles: number, repetitions: number, log: (line: string) => void, options: { warmUp?: boolean; withoutValidation?: boolean } = {},
): Promise<SynthComparison> {
  const workdir = mkdtempSync(join(tmpdir(), 'connect-sp-bench-synth-'));
  try {
    const run = async (variant: 'l2' | 'cfn', env: Record<string, string> = {}): Promise<AppTimings> => {
      const outdir = mkdtempSync(join(workdir, `${variant}-`));
      const result = await synthesizeInFreshProcess({
        entry: join(__dirname, 'bench-app.ts'),
        outdir,
        context: { variant, profiles: String(profiles) },
        env,
      });
      rmSync(outdir, { recursive: true, force: true });
      const line = result.stdout.trim().split('\n').pop() ?? '';
      const timings = JSON.parse(line) as Omit<AppTimings, 'wallMs'>;
      return { ...timings, wallMs: result.wallMs };
    };
    if (options.warmUp ?? true) {
      // one discarded run of each: fills tsx's transform cache and the OS file cache for both alike
      await run('l2');
      await run('cfn');
    }
    const samples = await alternate(repetitions, () => run('l2'), () => run('cfn'));
    const summary = (s: AppTimings[]): SynthSummary => ({
      cpuMs: median(s.map((x) => x.cpuMs)),
      libraryLoadMs: median(s.map((x) => x.libraryLoadMs)),
      appMs: median(s.map((x) => x.appMs)),
      wallMs: median(s.map((x) => x.wallMs)),
      constructMs: median(s.map((x) => x.constructMs)),
      synthMs: median(s.map((x) => x.synthMs)),
    });
    const l2 = summary(samples.a);
    const cfn = summary(samples.b);
    const show = (s: AppTimings[]) => s.map((x) => `${Math.round(x.cpuMs)}/${Math.round(x.appMs)}`).join(' ');
    log(`  N=${profiles} samples, CPU/wall ms: L2 ${show(samples.a)}; L1 ${show(samples.b)}`);
    let withoutValidation: SynthComparison['withoutValidation'];
    if (options.withoutValidation ?? options.warmUp ?? true) {
      const off = { CDK_VALIDATION: 'false' };
      const bare = await alternate(repetitions, () => run('l2', off), () => run('cfn', off));
      const l2Off = summary(bare.a);
      const cfnOff = summary(bare.b);
      withoutValidation = { l2: l2Off, cfn: cfnOff, ratio: l2Off.cpuMs / cfnOff.cpuMs };
      log(`  N=${profiles} without template validation, CPU/wall ms: L2 ${show(bare.a)}; L1 ${show(bare.b)}`);
    }
    return {
      profiles,
      repetitions,
      l2,
      cfn,
      ratio: l2.cpuMs / cfn.cpuMs,
      appWallRatio: l2.appMs / cfn.appMs,
      wallRatio: l2.wallMs / cfn.wallMs,
      withoutValidation,
    };
  } finally {
    rmSync(workdir, { recursive: true, force: true });
  }
}
