/**
 * Structured JSON logs (Powertools for AWS Lambda logger): one line per action taken.
 *
 * Never log the pre-signed `ResponseURL` of an event or credentials: log `eventSummary(event)`, never
 * the event itself.
 */
import { Logger } from '@aws-lambda-powertools/logger';

/** The logging surface the handler uses (a Powertools `Logger` satisfies it). */
export interface HandlerLogger {
  /** Debug details. */
  debug(message: string, ...attributes: Array<Record<string, unknown>>): void;
  /** One line per action taken. */
  info(message: string, ...attributes: Array<Record<string, unknown>>): void;
  /** Something surprising that does not fail the request. */
  warn(message: string, ...attributes: Array<Record<string, unknown>>): void;
  /** A failure. */
  error(message: string, ...attributes: Array<Record<string, unknown>>): void;
}

/** The service name in every log line. */
export const SERVICE_NAME = 'cdk-connect-security-profiles';

/**
 * A Powertools logger for the handler. Level from `POWERTOOLS_LOG_LEVEL` (default INFO).
 */
export function createLogger(): Logger {
  return new Logger({ serviceName: SERVICE_NAME });
}

/** The event fields that are safe and useful to log: never `ResponseURL`, never the properties' secrets. */
export interface EventSummary {
  readonly requestType?: unknown;
  readonly requestId?: unknown;
  readonly stackId?: unknown;
  readonly logicalResourceId?: unknown;
  readonly physicalResourceId?: unknown;
  readonly resourceType?: unknown;
}

/**
 * The loggable summary of a CloudFormation event (drops `ResponseURL` and everything else not listed).
 */
export function eventSummary(event: unknown): Record<string, unknown> {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const summary: EventSummary = {
    requestType: e.RequestType,
    requestId: e.RequestId,
    stackId: e.StackId,
    logicalResourceId: e.LogicalResourceId,
    physicalResourceId: e.PhysicalResourceId,
    resourceType: e.ResourceType,
  };
  return { ...summary };
}
