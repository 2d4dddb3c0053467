/**
 * Where the provider finds the stack's `SecurityProfileSettings`, and what they render to: the environment
 * of the handler and the reconciler (read by lambda/rate-limiter.ts, lambda/connect-api.ts and
 * lambda/reconciler.lambda.ts), the log retention, the sweep's schedule.
 *
 * The settings may be declared before or after the stack's profiles: the provider applies them when it is
 * created (if they exist) and again when they are declared (`onSettingsDeclared`).
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { ApiQuota, CONNECT_API_QUOTAS, ENV } from './contract';
import type { SecurityProfileSettingsProps } from '../settings';

/** The defaults of the settings the provider renders. */
export const SETTINGS_DEFAULTS = {
  logRetention: logs.RetentionDays.ONE_MONTH,
  maxErrorAttempts: 8,
  driftScheduleMinutes: 60,
} as const;

interface Declared {
  readonly path: string;
  readonly props: SecurityProfileSettingsProps;
}

const DECLARED = new WeakMap<Stack, Declared>();
const LISTENERS = new WeakMap<Stack, Array<(props: SecurityProfileSettingsProps) => void>>();

/**
 * Records the settings of the stack that contains `scope` and tells the stack's provider.
 *
 * @throws when the stack already has settings
 */
export function declareSettings(scope: IConstruct, props: SecurityProfileSettingsProps): void {
  const stack = Stack.of(scope);
  const existing = DECLARED.get(stack);
  if (existing) {
    throw new Error(`SecurityProfileSettings '${scope.node.path}': stack '${stack.node.path}' already has its settings at '${existing.path}'; `
      + 'a stack has one: merge the two into one SecurityProfileSettings');
  }
  DECLARED.set(stack, { path: scope.node.path, props });
  for (const listener of LISTENERS.get(stack) ?? []) listener(props);
}

/** The settings declared in `stack`, if any. */
export function declaredSettings(stack: Stack): SecurityProfileSettingsProps | undefined {
  return DECLARED.get(stack)?.props;
}

/** The path of the settings declared in `stack`, for messages. */
export function settingsPath(stack: Stack): string | undefined {
  return DECLARED.get(stack)?.path;
}

/**
 * Calls `apply` with the stack's settings now if they are declared, else when they are.
 */
export function withSettings(stack: Stack, apply: (props: SecurityProfileSettingsProps) => void): void {
  const declared = DECLARED.get(stack);
  if (declared) {
    apply(declared.props);
    return;
  }
  let listeners = LISTENERS.get(stack);
  if (!listeners) {
    listeners = [];
    LISTENERS.set(stack, listeners);
  }
  listeners.push(apply);
}

/**
 * The environment of the Connect gateway (rate limits and retries), shared by the handler and the
 * reconciler. Only what differs from the defaults the bundle already has, except the default bucket
 * and the error attempts, which every template states.
 */
export function gatewayEnvironment(props: SecurityProfileSettingsProps): Record<string, string> {
  const other = props.rateLimits?.find((l) => l.operation === undefined);
  const env: Record<string, string> = {
    [ENV.rateLimitPerSecond]: String(other?.requestsPerSecond ?? CONNECT_API_QUOTAS.default.ratePerSecond),
    [ENV.rateLimitBurst]: String(other?.burst ?? CONNECT_API_QUOTAS.default.burst),
    [ENV.maxAttempts]: String(props.maxErrorAttempts ?? SETTINGS_DEFAULTS.maxErrorAttempts),
  };
  const perOperation: Record<string, ApiQuota> = {};
  for (const limit of props.rateLimits ?? []) {
    if (limit.operation !== undefined) perOperation[limit.operation] = { ratePerSecond: limit.requestsPerSecond, burst: limit.burst };
  }
  if (Object.keys(perOperation).length > 0) {
    // sorted, so the template does not depend on the order of the list
    env[ENV.rateLimits] = JSON.stringify(Object.fromEntries(Object.entries(perOperation).sort(([a], [b]) => a.localeCompare(b))));
  }
  if (props.maxRetryDelay !== undefined) {
    env[ENV.retryMaxDelayMs] = String(props.maxRetryDelay.toMilliseconds({ integral: false }));
  }
  return env;
}

/** The flexible window that goes with an interval when none is set: a quarter of it, between 1 and 15 minutes. */
export function defaultWindow(interval: Duration): Duration {
  return Duration.minutes(Math.min(15, Math.max(1, Math.floor(interval.toMinutes() / 4))));
}

/**
 * Sets a log group's retention after construction (the settings may be declared after the provider).
 * `RetentionDays.INFINITE` renders no retention, as `logs.LogGroup` does.
 */
export function applyRetention(logGroup: logs.LogGroup, retention: logs.RetentionDays): void {
  (logGroup.node.defaultChild as logs.CfnLogGroup).retentionInDays = retention === logs.RetentionDays.INFINITE ? undefined : retention;
}

/** The per-profile drift options a `DriftReconciliation` was given (deprecated: they are stack-wide now). */
export interface DeprecatedDriftOptions {
  readonly schedule?: Duration;
  readonly onChangeEvents?: boolean;
}

/** The deprecated options of each `DriftReconciliation` that was given some. */
export const DEPRECATED_DRIFT_OPTIONS = new WeakMap<object, DeprecatedDriftOptions>();
