/**
 * Entry of the drift reconciler (`index.reconcile` in the bundled asset).
 *
 * Two kinds of events arrive: the EventBridge Scheduler sweep (any event that is not a CloudTrail
 * change event starts or resumes a sweep) and EventBridge "AWS API Call via CloudTrail" events from
 * Connect (reconcile that one profile). Everything else is in reconciler.ts.
 *
 * Environment (set by the provider): `DESIRED_STATE_TABLE` (required), `SWEEP_TIME_BUDGET_MS`,
 * `RECONCILER_IGNORED_ROLE_ARNS` (comma-separated: the handler's and the reconciler's roles),
 * `OWNER_STACK_NAME` (records of other stacks are never acted on), the rate
 * limiter settings of the handler, and `POWERTOOLS_SERVICE_NAME` (the metrics' `service` dimension).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { AssignmentMetrics } from './assignment-metrics';
import { AssignmentStore } from './assignment-store';
import { AssignmentSweepReport, runAssignmentSweep } from './assignment-sweep';
import { ConnectApi, InvocationDeadline, createConnectClient } from './connect-api';
import { classifyError } from './errors';
import { LeaseTable } from './lease';
import { createLogger } from './logger';
import { ReconcilerMetrics } from './metrics';
import { numberFromEnv } from './rate-limiter';
import {
  ChangeEventResult,
  isChangeEvent,
  reconcileChangeEvent,
  ReconcilerDeps,
  runSweep,
  SweepReport,
} from './reconciler';
import { DynamoDbStateStore } from './state-table';
import { ENV } from '../src/private/contract';

/** The environment variable with the role ARNs whose change events are ignored (comma-separated). */
export const IGNORED_ROLE_ARNS_ENV = ENV.ignoredRoleArns;

/** The budget when `SWEEP_TIME_BUDGET_MS` is not set: 10 minutes. */
export const DEFAULT_SWEEP_BUDGET_MS = 10 * 60 * 1000;

/** Time kept free before the Lambda timeout for saving the cursor and flushing metrics. */
export const TIMEOUT_MARGIN_MS = 30_000;

/** What one invocation did. */
export type ReconcileResult =
  | { readonly kind: 'sweep'; readonly report: SweepReport; readonly assignments?: AssignmentSweepReport }
  | { readonly kind: 'change-event'; readonly result: ChangeEventResult };

/** Options of `createReconciler`. */
export interface ReconcilerEntryOptions {
  /** The environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Turn the access-scope report off. @default true, unless ACCESS_SCOPE_REPORT is `false` */
  readonly reportAccessScope?: boolean;
}

/**
 * Build the reconciler's entry function from the environment.
 */
export function createReconciler(options: ReconcilerEntryOptions = {}): (event: unknown, context?: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<ReconcileResult> {
  const env = options.env ?? process.env;
  const tableName = env[ENV.desiredStateTable];
  if (!tableName) {
    throw new Error(`reconciler: environment variable ${ENV.desiredStateTable} is not set; it names the desired-state table (the provider sets it)`);
  }
  const budgetMs = numberFromEnv(env, ENV.sweepBudgetMs, DEFAULT_SWEEP_BUDGET_MS);
  const ownRoleArns = (env[IGNORED_ROLE_ARNS_ENV] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const logger = createLogger();
  const metrics = new ReconcilerMetrics();
  const api = new ConnectApi(createConnectClient(), {
    onRetry: ({ error }) => {
      if (classifyError(error) === 'throttled') metrics.throttled(1);
    },
  });
  const dynamo = new DynamoDBClient({});
  const stackName = env[ENV.ownerStackName];
  const deps: ReconcilerDeps = {
    store: new DynamoDbStateStore({ tableName, client: dynamo }),
    leases: new LeaseTable({ tableName, client: dynamo }),
    ...(stackName ? { stackName } : {}),
    api,
    metrics,
    logger,
    reportAccessScope: options.reportAccessScope ?? env[ENV.accessScopeReport] !== 'false',
  };

  const assignmentDeps = {
    assignments: new AssignmentStore({ tableName, client: dynamo }),
    leases: deps.leases,
    metrics: new AssignmentMetrics(),
    reconcilerMetrics: metrics,
    logger,
    ...(stackName ? { stackName } : {}),
  };

  return async (event, context) => {
    // throttled calls wait until the invocation's margin, where the sweep saves its cursor
    const invocation = context ? { ...deps, api: api.withDeadline(InvocationDeadline.fromContext(context, TIMEOUT_MARGIN_MS)) } : deps;
    if (isChangeEvent(event)) {
      return { kind: 'change-event', result: await reconcileChangeEvent(invocation, event, ownRoleArns) };
    }
    const remaining = context?.getRemainingTimeInMillis();
    const budget = remaining === undefined ? budgetMs : Math.max(0, Math.min(budgetMs, remaining - TIMEOUT_MARGIN_MS));
    const started = Date.now();
    const report = await runSweep(invocation, { budgetMs: budget });
    // the holders of the assignments, with what the profile sweep left of the budget
    const assignments = await runAssignmentSweep({
      ...assignmentDeps, api: invocation.api,
    }, { budgetMs: Math.max(0, budget - (Date.now() - started)) });
    return { kind: 'sweep', report, assignments };
  };
}

let entry: ReturnType<typeof createReconciler> | undefined;

/**
 * The Lambda handler: a scheduled sweep, or one change event.
 */
export async function reconcile(event: unknown, context?: Context): Promise<ReconcileResult> {
  entry ??= createReconciler();
  return entry(event, context);
}
