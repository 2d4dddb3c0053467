/**
 * `npm run bench`: every benchmark in one run, alternating, medians over repetitions; prints ratios
 * and whether each target is met, and writes BENCHMARKS.md and bench/results.json.
 *
 * Options:
 * - `--smoke`: exercise every measurement with tiny sizes and one repetition, write nothing (CI);
 * - `--reps <n>`: repetitions of the synth and load-time measurements (default 5; 3 for N=1000);
 * - `--sweep-scale <k>`: run the 1,000-profile sweep at 2 × k requests/s (default 4; the 100-profile sweep runs
 *   at Connect's 2/s, where the reconciler's cold start weighs as little as in AWS);
 * - `--deploy-scale <k>`: run the deploys at Connect's quotas × k (default 1: the real rates);
 * - `--only <parts>`: comma-separated subset of synth,calls,sweep,deploy,bundle,search (writes nothing).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureBundle } from './bundle-bench';
import { measureCalls } from './calls-bench';
import { type DeployOptions, measureDeploy } from './deploy-bench';
import { checkTargets, load, markdown, type Measurements, resultsJson } from './report';
import { measureSearch } from './search-bench';
import { duration, ratio } from './stats';
import { measureSweep } from './sweep-bench';
import { compareSynth } from './synth-bench';

const ROOT = join(__dirname, '..');
const PARTS = ['synth', 'calls', 'sweep', 'deploy', 'bundle', 'search'] as const;
type Part = typeof PARTS[number];

interface Options {
  readonly smoke: boolean;
  readonly reps?: number;
  readonly sweepScale: number;
  readonly deployScale: number;
  readonly only?: Part[];
}

function parseArgs(argv: string[]): Options {
  let smoke = false;
  let reps: number | undefined;
  let sweepScale = 4;
  let deployScale = 1;
  let only: Part[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`bench: ${arg} needs a value`);
      }
      return v;
    };
    if (arg === '--smoke') {
      smoke = true;
    } else if (arg === '--reps') {
      reps = positive(arg, value());
    } else if (arg === '--sweep-scale') {
      sweepScale = positive(arg, value());
    } else if (arg === '--deploy-scale') {
      deployScale = positive(arg, value());
    } else if (arg === '--only') {
      only = value().split(',').map((p) => {
        if (!(PARTS as readonly string[]).includes(p)) {
          throw new Error(`bench: --only takes ${PARTS.join(', ')}; got '${p}'`);
        }
        return p as Part;
      });
    } else {
      throw new Error(`bench: unknown argument '${arg}' (use --smoke, --reps <n>, --sweep-scale <k>, --deploy-scale <k>, --only <parts>)`);
    }
  }
  return { smoke, reps, sweepScale, deployScale, only };
}

function positive(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`bench: ${flag} must be a positive integer, got '${text}'`);
  }
  return n;
}

async function main(): Promise<number> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = parseArgs(process.argv.slice(2));
  const started = performance.now();
  const loadBefore = load();
  const wants = (part: Part) => !options.only || options.only.includes(part);
  const say = (line: string) => console.log(line);
  const step = (title: string) => console.log(`\n== ${title}`);
  const sizes = options.smoke
    ? {
      synth: [2],
      synthReps: () => 1,
      calls: true,
      sweep: [{ profiles: 3, scale: 20 }],
      // three instances, so the smoke run covers the account-wide quota; rates × 10 keep it short
      deploy: [{ profiles: 12, instances: 3, update: true, delete: true, processes: 2, scale: 10 }],
      loadReps: 1,
      searchUsers: 1_000,
    }
    : {
      synth: [10, 100, 1000],
      synthReps: (n: number) => options.reps ?? (n >= 1000 ? 3 : 5),
      calls: true,
      sweep: [{ profiles: 100, scale: 1 }, { profiles: 1000, scale: options.sweepScale }],
      deploy: [
        { profiles: 96, instances: 1, update: true, delete: true, processes: 24, scale: options.deployScale },
        { profiles: 300, instances: 3, update: false, delete: false, processes: 50, scale: options.deployScale },
      ],
      loadReps: options.reps ?? 9,
      searchUsers: 10_000,
    };
  console.log(`bench${options.smoke ? ' --smoke (tiny sizes, nothing written)' : ''}: synth, API calls, sweep efficiency, deploys at scale, bundle, SearchUsers`);

  step('bundling the handler (npx projen bundle:handler)');
  execFileSync('npx', ['projen', 'bundle:handler'], { cwd: ROOT, stdio: 'pipe' });
  say('assets/handler/index.js rebuilt from lambda/');

  const m: { -readonly [K in keyof Measurements]: Measurements[K] } = { synth: {}, sweep: {}, deploy: {}, errors: {} };
  const attempt = async (part: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      const lines = (e instanceof Error ? e.message : String(e)).split('\n').map((l) => l.trim()).filter(Boolean);
      // the first line says what failed; a child process's stderr holds the error line that says why
      const why = lines.slice(1).find((l) => /^\w*Error\b|^Error:/.test(l));
      m.errors[part] = why ? `${lines[0]} ${why}` : lines[0] ?? 'failed';
      say(`  FAILED: ${m.errors[part]}`);
    }
  };

  if (wants('synth')) {
    for (const n of sizes.synth) {
      step(`synth time, N=${n}: L2 vs CfnSecurityProfile, fresh process each, ${sizes.synthReps(n)} alternating runs`);
      await attempt(`synth${n}`, async () => {
        const s = await compareSynth(n, sizes.synthReps(n), say, { warmUp: !options.smoke });
        m.synth[n] = s;
        say(`  CPU L2 ${duration(s.l2.cpuMs)}, L1 ${duration(s.cfn.cpuMs)}: ratio ${ratio(s.ratio)} (wall ${ratio(s.appWallRatio)}, whole process ${ratio(s.wallRatio)})`);
      });
    }
  }
  if (wants('calls')) {
    step('API calls: no-drift check and drift in each field, against the minimum');
    await attempt('calls', async () => {
      m.calls = await measureCalls(options.smoke, (l) => say(`  ${l}`));
    });
  }
  if (wants('sweep')) {
    for (const { profiles: n, scale } of sizes.sweep) {
      step(`sweep efficiency, ${n} profiles, every operation throttled at ${2 * scale} requests/s (Connect's 2/s × ${scale})`);
      await attempt(`sweep${n}`, async () => {
        const s = await measureSweep(n, scale, (l) => say(`  ${l}`));
        m.sweep[n] = s;
        say(`  ${s.calls} calls, per-API ideal ${duration(s.perOperationIdealMs)}, actual ${duration(s.actualMs)}: efficiency ${ratio(s.perOperationEfficiency)} `
          + `(single-bucket ideal ${duration(s.idealMs)}: ${ratio(s.efficiency)}; ${s.throttled} throttled, ${s.invocations} invocation(s), ${s.failedProfiles} failed profiles)`);
      });
    }
  }
  if (wants('deploy')) {
    for (const d of sizes.deploy) {
      const rounds = ['first deploy', d.update ? 'update' : '', d.delete ? 'delete' : ''].filter(Boolean).join(', ');
      step(`deploys at scale, ${d.profiles} profiles over ${d.instances} instance(s), every event at once in its own environment (${rounds}), quotas × ${d.scale}, another tool on the same quotas`);
      await attempt(`deploy${d.profiles}`, async () => {
        const deployOptions: DeployOptions = { ...d, log: (l) => say(`  ${l}`) };
        m.deploy[d.profiles] = await measureDeploy(deployOptions);
      });
    }
  }
  if (wants('bundle')) {
    step(`handler bundle: size and module load time vs the bare Connect client, ${sizes.loadReps} alternating runs`);
    await attempt('bundle', async () => {
      const b = await measureBundle(join(ROOT, 'assets', 'handler', 'index.js'), sizes.loadReps);
      m.bundle = b;
      say(`  ${b.bundleBytes} bytes (bare client ${b.bareClientBytes}); load ${duration(b.handlerLoadMs)} vs ${duration(b.bareClientLoadMs)}: ratio ${ratio(b.initRatio)}`);
    });
  }
  if (wants('search')) {
    step(`SearchUsers over ${sizes.searchUsers.toLocaleString('en-US')} users (realistic throttling)`);
    await attempt('search', async () => {
      const s = await measureSearch(sizes.searchUsers);
      m.search = s;
      say(`  ${s.calls - s.throttledCalls} calls (+${s.throttledCalls} throttled and retried) for ${s.usersRead} users in ${duration(s.durationMs)}`);
    });
  }

  const checks = checkTargets(m, { synth: sizes.synth, sweep: sizes.sweep.map((x) => x.profiles), deploy: sizes.deploy.map((d) => d.profiles) });
  step('targets');
  for (const c of checks) {
    const verdict = c.met === undefined ? (c.figure === 'not measured' ? 'NOT MEASURED' : 'reported') : c.met ? 'met' : 'NOT MET';
    say(`  [${verdict}] ${c.name}: ${c.figure} (target ${c.target})`);
    if (c.met === false || c.figure === 'not measured') {
      say(`      ${c.note}`);
    }
  }
  const durationMs = performance.now() - started;
  const failedParts = Object.keys(m.errors);
  if (options.smoke || options.only) {
    say(`\n${options.smoke ? 'smoke' : 'partial'} run done in ${duration(durationMs)}; nothing written`);
  } else {
    const results = resultsJson(m);
    writeFileSync(join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown(m, checks, {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      loadBefore,
      loadAfter: load(),
      durationMs,
      options: `synth repetitions ${sizes.synthReps(10)} (N=1000: ${sizes.synthReps(1000)}), load-time repetitions ${sizes.loadReps}, sweep rate scale ${sizes.sweep.map((x) => `${x.scale} (N=${x.profiles})`).join(', ')}, `
        + `deploy quota scale ${options.deployScale}`,
    }));
    say(`\nwrote BENCHMARKS.md and bench/results.json in ${duration(durationMs)}`);
  }
  // a measurement that could not run is a failure of the command; a target not met is a result
  return failedParts.length > 0 ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
