/**
 * Running the stack's drift reconciler as EventBridge Scheduler would: find the reconciler function and
 * the event its schedule sends, then invoke it until the sweep is complete (a sweep that runs out of
 * its time budget resumes at the next scheduled invocation).
 */
import type { Invocation } from './cloudformation/lambda-runtime';
import type { CloudFormationPlayer, DeployedResource } from './cloudformation/player';
import { HANDLER_ENTRY } from '../src/private/contract';

/** The reconciler of a stack and the event its schedule sends. */
export interface ReconcilerTarget {
  readonly function: DeployedResource;
  readonly event: unknown;
  /** Where the event came from (for the log). */
  readonly eventSource: string;
}

/** One profile checked by a sweep, as the reconciler reports it. */
export interface SweptProfile {
  readonly securityProfileArn: string;
  readonly status: string;
  readonly driftFields: string[];
  readonly actions: string[];
  readonly error?: string;
}

/** One assignment (the holders of a profile) checked by a sweep, as the reconciler reports it. */
export interface SweptAssignment {
  readonly key: string;
  readonly securityProfileId: string;
  /** IN_SYNC, DRIFTED (detect-only: reported), REMEDIATED, HELD, ... */
  readonly status: string;
  /** Holder changes found needed. */
  readonly changes: number;
  readonly assigned: number;
  readonly unassigned: number;
  readonly error?: string;
}

/** A whole sweep, over one or more invocations. */
export interface SweepRun {
  readonly invocations: Invocation[];
  readonly outcomes: SweptProfile[];
  /** The assignments the sweep checked after the profiles. */
  readonly assignments: SweptAssignment[];
  readonly complete: boolean;
  readonly durationMs: number;
}

/**
 * The reconciler function of a deployed stack (handler `index.reconcile`) and its schedule's event.
 */
export function findReconciler(player: CloudFormationPlayer, stackName: string): ReconcilerTarget | undefined {
  const resources = player.resources(stackName);
  const fn = resources.find((r) => r.type === 'AWS::Lambda::Function' && r.properties.Handler === HANDLER_ENTRY.reconcile);
  if (!fn) {
    return undefined;
  }
  const schedule = resources.find((r) => r.type === 'AWS::Scheduler::Schedule'
    && (r.properties.Target as { Arn?: string } | undefined)?.Arn === fn.identity.attributes.Arn);
  const input = (schedule?.properties.Target as { Input?: string } | undefined)?.Input;
  if (schedule) {
    return {
      function: fn,
      event: input ? JSON.parse(input) : {},
      eventSource: `schedule ${schedule.logicalId} (${String(schedule.properties.ScheduleExpression)}${input ? ', its Input' : ', no Input: {}'})`,
    };
  }
  return { function: fn, event: {}, eventSource: 'no schedule in the stack: {}' };
}

/**
 * Invoke the reconciler until its sweep reports `complete` (at most `maxInvocations` times).
 */
export async function runSweepToCompletion(
  player: CloudFormationPlayer, stackName: string, target: ReconcilerTarget, maxInvocations = 100,
): Promise<SweepRun> {
  const started = performance.now();
  const invocations: Invocation[] = [];
  const outcomes: SweptProfile[] = [];
  const assignments: SweptAssignment[] = [];
  const run = (complete: boolean): SweepRun => ({ invocations, outcomes, assignments, complete, durationMs: performance.now() - started });
  for (let i = 0; i < maxInvocations; i++) {
    const invocation = await player.invoke(stackName, target.function.logicalId, target.event);
    invocations.push(invocation);
    if (!invocation.ok) {
      return run(false);
    }
    const report = sweepReportOf(invocation.result);
    outcomes.push(...report.outcomes);
    assignments.push(...report.assignments);
    if (report.complete) {
      return run(true);
    }
  }
  return run(false);
}

/** An "access scope changed" line of the reconciler's log: who a hierarchy-restricted profile reaches. */
export interface AccessScopeLine {
  readonly securityProfileName: string;
  readonly usersInScope: number;
  readonly enteredCount: number;
  readonly leftCount: number;
}

/** The structured JSON lines the reconciler logged during the sweep. */
export function sweepLogEntries(run: SweepRun): Array<Record<string, unknown>> {
  return run.invocations
    .flatMap((inv) => inv.logs.flatMap((l) => l.split('\n')))
    .map((line) => parseJson(line.trim()))
    .filter((entry): entry is Record<string, unknown> => entry !== undefined);
}

/** The access-scope lines of the sweep's log. */
export function accessScopeLines(run: SweepRun): AccessScopeLine[] {
  return sweepLogEntries(run)
    .filter((e) => e.message === 'access scope changed')
    .map((e) => ({
      securityProfileName: String(e.securityProfileName),
      usersInScope: Number(e.usersInScope),
      enteredCount: Number(e.enteredCount),
      leftCount: Number(e.leftCount),
    }));
}

/** Readable lines about a sweep: one per profile, plus the drift lines of the reconciler's log. */
export function summarizeSweep(run: SweepRun, names: ReadonlyMap<string, string> = new Map()): string[] {
  const lines: string[] = [];
  lines.push(`${run.invocations.length} invocation(s), ${run.complete ? 'sweep complete' : 'sweep NOT complete'}, ${(run.durationMs / 1000).toFixed(1)} s`);
  for (const o of run.outcomes) {
    const name = names.get(o.securityProfileArn) ?? o.securityProfileArn.split('/').pop();
    const drift = o.driftFields.length > 0 ? `drift in ${o.driftFields.join(', ')}` : 'no drift';
    const repaired = o.actions.length > 0 ? `; repaired with ${o.actions.join(', ')}` : '';
    lines.push(`  ${o.status.padEnd(10)} profile ${name}: ${drift}${repaired}${o.error ? `; error: ${o.error}` : ''}`);
  }
  for (const e of sweepLogEntries(run)) {
    if (typeof e.message === 'string' && /drift/i.test(e.message) && e.field !== undefined) {
      lines.push(`  log "${e.message}" ${String(e.securityProfileName ?? '')}: ${String(e.field)} declared ${JSON.stringify(e.declared)}, live ${JSON.stringify(e.live)}`);
    }
  }
  for (const a of run.assignments) {
    const name = names.get(a.securityProfileId) ?? a.securityProfileId;
    const changes = a.changes > 0 ? `${a.changes} holder change(s) needed` : 'holders as declared';
    const made = a.status === 'REMEDIATED' ? `; made: ${a.assigned} assigned, ${a.unassigned} unassigned` : '';
    lines.push(`  ${a.status.padEnd(10)} holders of ${name}: ${changes}${made}${a.error ? `; error: ${a.error}` : ''}`);
  }
  for (const e of sweepLogEntries(run)) {
    if (typeof e.message === 'string' && e.message.startsWith('assignment drift: user')) {
      lines.push(`  log "${e.message}" (${String(e.mode)}): ${String(e.username)}, profile ${names.get(String(e.securityProfileId)) ?? String(e.securityProfileId)}`);
    }
  }
  for (const scope of accessScopeLines(run)) {
    lines.push(`  log "access scope changed" ${scope.securityProfileName}: reaches ${scope.usersInScope} user(s) (${scope.enteredCount} entered, ${scope.leftCount} left)`);
  }
  return lines;
}

function sweepReportOf(result: unknown): { complete: boolean; outcomes: SweptProfile[]; assignments: SweptAssignment[] } {
  const r = result as {
    kind?: string; report?: { complete?: boolean; outcomes?: SweptProfile[] }; assignments?: { outcomes?: SweptAssignment[] };
  } | null;
  if (!r || r.kind !== 'sweep' || !r.report) {
    throw new Error(`the reconciler returned ${JSON.stringify(result)?.slice(0, 300)}, not a sweep report ({ kind: 'sweep', report })`);
  }
  return { complete: r.report.complete === true, outcomes: r.report.outcomes ?? [], assignments: r.assignments?.outcomes ?? [] };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? v as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}
