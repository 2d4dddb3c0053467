/**
 * Turning the measurements into targets met or not, `bench/results.json` and `BENCHMARKS.md`.
 */
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import type { BundleResult } from './bundle-bench';
import type { CallsResult } from './calls-bench';
import type { SearchResult } from './search-bench';
import { bytes, duration, ratio } from './stats';
import type { SweepEfficiency } from './sweep-bench';
import type { SynthComparison, SynthSummary } from './synth-bench';

/** Everything one run measured (a part is undefined when it could not run; its error is kept). */
export interface Measurements {
  readonly synth: Record<number, SynthComparison | undefined>;
  readonly calls?: CallsResult;
  readonly sweep: Record<number, SweepEfficiency | undefined>;
  readonly bundle?: BundleResult;
  readonly search?: SearchResult;
  /** Why a part is missing, by part name. */
  readonly errors: Record<string, string>;
}

/** One target line. */
export interface TargetCheck {
  readonly name: string;
  readonly figure: string;
  readonly target: string;
  /** undefined: not measured. */
  readonly met?: boolean;
  /** Why, in one or two sentences, derived from the data. */
  readonly note: string;
}

/** The bundle size limit: 1.2 MB, decimal. */
export const BUNDLE_LIMIT_BYTES = 1_200_000;

/** The keys of bench/results.json, exactly. */
export function resultsJson(m: Measurements): Record<string, number | null> {
  return {
    synth_ratio_n10: round(m.synth[10]?.ratio),
    synth_ratio_n100: round(m.synth[100]?.ratio),
    synth_ratio_n1000: round(m.synth[1000]?.ratio),
    calls_no_drift: m.calls?.noDriftSweep.calls ?? null,
    calls_no_drift_minimum: m.calls?.noDriftSweep.minimum ?? null,
    sweep_efficiency_100: round(m.sweep[100]?.efficiency),
    sweep_efficiency_300: round(m.sweep[300]?.efficiency),
    bundle_bytes: m.bundle?.bundleBytes ?? null,
    init_ratio_vs_bare_client: round(m.bundle?.initRatio),
    search_calls_10000: m.search && m.search.users === 10_000 ? successfulSearchCalls(m.search) : null,
  };
}

/** Evaluate every target. */
export function checkTargets(
  m: Measurements, sizes: { synth: number[]; sweep: number[] } = { synth: [10, 100, 1000], sweep: [100, 300] },
): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const synthCheck = (n: number, limit: number | undefined) => {
    const s = m.synth[n];
    if (!s) {
      checks.push({ name: `synth ratio, N=${n} (L2 / CfnSecurityProfile)`, figure: 'not measured', target: limit ? `≤ ${limit.toFixed(2)}` : 'none (reported)', note: m.errors[`synth${n}`] ?? 'not run' });
      return;
    }
    const extraCpu = s.l2.cpuMs - s.cfn.cpuMs;
    const extraLoad = s.l2.libraryLoadMs - s.cfn.libraryLoadMs;
    const extraConstruct = s.l2.constructMs - s.cfn.constructMs;
    const extraSynth = s.l2.synthMs - s.cfn.synthMs;
    checks.push({
      name: `synth ratio, N=${n} (L2 / CfnSecurityProfile)`,
      figure: `${ratio(s.ratio)} (CPU ${duration(s.l2.cpuMs)} vs ${duration(s.cfn.cpuMs)}; wall ${ratio(s.appWallRatio)}, whole process ${ratio(s.wallRatio)})`,
      target: limit ? `≤ ${limit.toFixed(2)}` : 'none (reported)',
      met: limit ? s.ratio <= limit : undefined,
      note: `The L2 costs ${duration(extraCpu)} more CPU (${duration(s.l2.cpuMs)} vs ${duration(s.cfn.cpuMs)}). By phase (wall, medians): loading the library ${signed(extraLoad)}, construction ${signed(extraConstruct)}, synthesis ${signed(extraSynth)}: the custom resources, and per stack the provider's functions and roles (with drift reconciliation also its table, reconciler and schedule) and the handler asset. Both pay a fixed cost for loading aws-cdk-lib and synthesizing an assembly, most of the L1 run's ${duration(s.cfn.cpuMs)} of CPU; the ratio stays near 1 only while that cost dominates.`,
    });
  };
  const synthLimits: Record<number, number | undefined> = { 100: 1.10, 1000: 1.25 };
  for (const n of sizes.synth) {
    synthCheck(n, synthLimits[n]);
  }

  if (m.calls) {
    const c = m.calls.noDriftSweep;
    const u = m.calls.noDriftUpdate;
    const worstDrift = m.calls.drifts.filter((d) => d.calls !== d.minimum || !d.repaired);
    checks.push({
      name: 'API calls, no-drift check of one profile (sweep)',
      figure: `${c.calls} (${ops(c.byOperation)})`,
      target: `= minimum (${c.minimum})`,
      met: c.calls === c.minimum,
      note: `${c.calls === c.minimum ? 'Only the reads the API requires.' : `${c.calls - c.minimum} call(s) above the minimum.`} A deploy-time Update with unchanged properties costs ${u.calls} (${ops(u.byOperation)}).${c.accessScopeCalls > 0 ? ` The access-scope report adds ${c.accessScopeCalls} SearchUsers call(s), not counted.` : ''}`,
    });
    checks.push({
      name: 'API calls, drift in each field (check + repair)',
      figure: `${m.calls.drifts.length - worstDrift.length}/${m.calls.drifts.length} at the minimum and repaired`,
      target: 'each = minimum (3 reads + 1 write)',
      met: m.calls.drifts.length > 0 && worstDrift.length === 0,
      note: worstDrift.length === 0
        ? 'Every drift was repaired with exactly one write after the three reads.'
        : worstDrift.map((d) => `${d.field} (${d.change}): ${d.calls} calls (${ops(d.byOperation)}) vs ${d.minimum}${d.repaired ? '' : ', not repaired'}`).join('; '),
    });
  } else {
    checks.push({ name: 'API calls, no-drift check of one profile (sweep)', figure: 'not measured', target: '= minimum', note: m.errors.calls ?? 'not run' });
  }

  for (const n of sizes.sweep) {
    const s = m.sweep[n];
    if (!s) {
      checks.push({ name: `sweep efficiency, ${n} profiles`, figure: 'not measured', target: '≥ 0.90', note: m.errors[`sweep${n}`] ?? 'not run' });
      continue;
    }
    const judged = n === 100 || n === 300;
    checks.push({
      name: `sweep efficiency, ${n} profiles`,
      figure: `${ratio(s.efficiency)} (ideal ${duration(s.idealMs)} / actual ${duration(s.actualMs)})`,
      target: judged ? '≥ 0.90' : '≥ 0.90 at 100 and 300 (smoke size: not judged)',
      met: judged ? s.efficiency >= 0.9 && s.failedProfiles === 0 : undefined,
      note: `${s.calls} calls at ${s.ratePerSecond} requests/s (Connect's 2/s × ${s.scale}), ${s.throttled} throttled, ${s.invocations} invocation(s), ${s.checkedProfiles} profiles checked, ${s.failedProfiles} failed. With each operation on its own quota in parallel the ideal would be ${duration(s.perOperationIdealMs)}: the client-side limiter is one bucket for all operations.`,
    });
  }

  if (m.bundle) {
    const b = m.bundle;
    checks.push({
      name: 'handler bundle size',
      figure: `${bytes(b.bundleBytes)} (${b.bundleBytes.toLocaleString('en-US')} bytes)`,
      target: `≤ ${bytes(BUNDLE_LIMIT_BYTES)}`,
      met: b.bundleBytes <= BUNDLE_LIMIT_BYTES,
      note: `The bare Connect client alone bundles to ${bytes(b.bareClientBytes)} with the same esbuild settings.`,
    });
    checks.push({
      name: 'module load time / bare Connect client',
      figure: `${ratio(b.initRatio)} (${duration(b.handlerLoadMs)} vs ${duration(b.bareClientLoadMs)}; wall clock above node's start ${ratio(b.initWallRatio)})`,
      target: '≤ 1.50',
      met: b.initRatio <= 1.5,
      note: `Measured inside fresh processes (require time), node's bare start ${duration(b.bareNodeMs)} excluded; medians of ${b.repetitions}.`,
    });
  } else {
    checks.push({ name: 'handler bundle size', figure: 'not measured', target: `≤ ${bytes(BUNDLE_LIMIT_BYTES)}`, note: m.errors.bundle ?? 'not run' });
  }

  if (m.search) {
    const s = m.search;
    const pages = successfulSearchCalls(s);
    checks.push({
      name: `SearchUsers, ${s.users.toLocaleString('en-US')} users`,
      figure: `${pages} calls, ${duration(s.durationMs)}`,
      target: s.users === 10_000 ? '20 calls' : `${s.minimumCalls} calls (smoke size)`,
      met: pages === s.minimumCalls && s.usersRead === s.users,
      note: `${s.usersRead.toLocaleString('en-US')} users read in pages of 500 under the emulator's realistic throttling (SearchUsers 2/s, burst 5) and the handler's own 2/s limiter; ${s.calls - pages} extra request(s) were throttled and retried.${s.seedingStoppedAt ? ` Seeding stopped at ${s.seedingStoppedAt}.` : ''}`,
    });
  } else {
    checks.push({ name: 'SearchUsers, 10,000 users', figure: 'not measured', target: '20 calls', note: m.errors.search ?? 'not run' });
  }
  return checks;
}

/** The machine, for the report. */
export function machine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()}, Node.js ${process.version}`;
}

/** The load average, for the report (other work on the machine skews timings). */
export function load(): string {
  return loadavg().map((l) => l.toFixed(1)).join(' / ');
}

/** What the report says about the run itself. */
export interface ReportContext {
  readonly command: string;
  readonly date: string;
  readonly loadBefore: string;
  readonly loadAfter: string;
  readonly durationMs: number;
  readonly options: string;
}

/** BENCHMARKS.md. */
export function markdown(m: Measurements, checks: TargetCheck[], context: ReportContext): string {
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(`Written by \`${context.command}\` on ${context.date} (${duration(context.durationMs)}). Figures are from that one run; re-run it to`);
  lines.push('check them on your machine. Nothing here is a timed test: CI only runs `npx projen bench --smoke`.', '');
  lines.push(`- Machine: ${machine()}`);
  lines.push(`- Load average (1/5/15 min) before / after: ${context.loadBefore} → ${context.loadAfter}. Timings are medians of alternating runs, so`);
  lines.push('  load shared with other work affects both sides of a ratio alike, but it adds noise.');
  lines.push(`- Options: ${context.options}`, '');
  lines.push('| Measurement | Figure | Target | Met |', '|---|---|---|---|');
  for (const c of checks) {
    lines.push(`| ${c.name} | ${c.figure} | ${c.target} | ${c.met === undefined ? '—' : c.met ? 'met' : '**not met**'} |`);
  }
  lines.push('', '## Notes per measurement', '');
  for (const c of checks) {
    lines.push(`- **${c.name}**: ${c.met === false ? '**not met.** ' : ''}${c.note}`);
  }
  lines.push('', '## Details', '');
  for (const n of [10, 100, 1000]) {
    const s = m.synth[n];
    if (s) {
      const side = (x: SynthSummary) => `CPU ${duration(x.cpuMs)}, wall ${duration(x.appMs)} (construct ${duration(x.constructMs)}, synth ${duration(x.synthMs)}), process ${duration(x.wallMs)}`;
      lines.push(`- Synth N=${n} (${s.repetitions} alternating runs each, fresh process each, medians): L2 ${side(s.l2)}; CfnSecurityProfile ${side(s.cfn)}.`);
    }
  }
  if (m.calls) {
    lines.push(`- API calls per drifted field (check + repair, minimum ${m.calls.drifts[0]?.minimum ?? 4}):`);
    for (const d of m.calls.drifts) {
      lines.push(`  - ${d.field}, ${d.change}: ${d.calls} (${ops(d.byOperation)}); reported ${d.reportedFields.join(', ') || 'nothing'}; ${d.repaired ? 'repaired' : '**not repaired**'}`);
    }
  }
  for (const n of [100, 300]) {
    const s = m.sweep[n];
    if (s) {
      lines.push(`- Sweep N=${n}: ${ops(s.byOperation)}.`);
    }
  }
  lines.push('', '## How it is measured', '');
  lines.push('- **Synth**: `bench/bench-app.ts` declares N profiles with the same content (five permissions, tag-based access');
  lines.push('  control, a tag) with this library or with `aws_connect.CfnSecurityProfile`, at most 90 per instance (Connect\'s');
  lines.push('  quota is 100 including the 4 default profiles) and one stack per instance. Each synthesis runs in a fresh');
  lines.push('  process (tsx, transform cache warmed by one discarded run of each). The figure is the CPU time (user + system)');
  lines.push('  from the app\'s first line to the end of `app.synth()` (loading aws-cdk-lib and the library, constructing,');
  lines.push('  synthesizing): on a machine shared with other work, wall time swings by 2× between identical runs, CPU time');
  lines.push('  far less. The wall-clock ratios of the same span and of the whole process are given alongside.');
  lines.push('- **API calls**: `bench/one-profile-app.ts` deployed by the local CloudFormation player (`examples/cfn-player`)');
  lines.push('  with the bundled handler from cdk.out; each drift is made with the SDK as the console would, then one sweep of');
  lines.push('  the bundled reconciler runs; the emulator\'s request log counts the calls. Minimum: DescribeSecurityProfile +');
  lines.push('  one page each of ListSecurityProfilePermissions and ListSecurityProfileApplications, plus one write to repair.');
  lines.push('- **Sweep efficiency**: N profiles deployed unthrottled; then every operation throttled at 2 × scale requests/s');
  lines.push('  (burst 5) in the emulator and the same rate set in the reconciler\'s limiter; one sweep from a cold start.');
  lines.push('  Ideal = requests / rate; actual = wall time of the reconciler invocations.');
  lines.push('- **Bundle**: `assets/handler/index.js` as `npx projen bundle:handler` builds it; the floor is the Connect client');
  lines.push('  and one command bundled with the same esbuild options. Load time is `require()` of the bundle inside a fresh');
  lines.push('  `node` process (so node\'s own start is excluded), alternating, medians.');
  lines.push('- **SearchUsers**: 10,000 users seeded in one instance; `searchUserPages` (lambda/search-users.ts) reads them');
  lines.push('  through the rate-limited `ConnectApi`, under the emulator\'s realistic throttling.');
  const errors = Object.entries(m.errors);
  if (errors.length > 0) {
    lines.push('', '## Errors', '');
    for (const [part, error] of errors) {
      lines.push(`- ${part}: ${error}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function successfulSearchCalls(s: SearchResult): number {
  return s.calls - s.throttledCalls;
}

function ops(byOperation: Record<string, number>): string {
  return Object.entries(byOperation).map(([op, n]) => `${n} ${op}`).join(', ') || 'none';
}

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${duration(Math.abs(ms))}`;
}

function round(value: number | undefined): number | null {
  return value === undefined ? null : Math.round(value * 1000) / 1000;
}
