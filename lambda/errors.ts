/**
 * Error classification and messages.
 *
 * The only module that knows how Connect (and the SDK) name their errors. Everything else asks
 * `classifyError` for an `ErrorKind` and builds messages with `securityProfileError`.
 */

/** What went wrong, in the terms the handler decides on. */
export type ErrorKind =
  | 'not-found'
  | 'in-use'
  | 'duplicate'
  | 'throttled'
  | 'quota'
  | 'invalid'
  | 'access-denied'
  | 'internal'
  | 'network'
  | 'unknown';

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_SOCKET']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);
/** How the SDK wraps a transport failure that has no HTTP response (e.g. a connection cut mid-request). */
const SDK_WRAPPER = /^AWS SDK error wrapper for (\w+)/;

interface ErrorLike {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $response?: unknown;
}

/**
 * Classify an error thrown by the SDK (or already wrapped in a `ConnectApiError`).
 *
 * `LimitExceededException` shares HTTP 429 with throttling but means a quota was reached: it is `quota`,
 * never retried. Any other 429 is `throttled`. Connection resets and timeouts are `network`.
 */
export function classifyError(err: unknown): ErrorKind {
  if (err instanceof ConnectApiError) return err.kind;
  if (typeof err !== 'object' || err === null) return 'unknown';
  const e = err as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const status = e.$metadata?.httpStatusCode;
  switch (name) {
    case 'ResourceNotFoundException': return 'not-found';
    case 'ResourceInUseException': return 'in-use';
    case 'DuplicateResourceException': return 'duplicate';
    case 'LimitExceededException':
    case 'ServiceQuotaExceededException': return 'quota';
    case 'ThrottlingException':
    case 'TooManyRequestsException': return 'throttled';
    case 'InvalidRequestException':
    case 'InvalidParameterException':
    case 'ValidationException': return 'invalid';
    case 'AccessDeniedException':
    case 'UnauthorizedException': return 'access-denied';
    case 'InternalServiceException':
    case 'ServiceUnavailableException': return 'internal';
    default:
  }
  if (NETWORK_CODES.has(code) || NETWORK_NAMES.has(name) || /socket hang up|ECONNRESET/i.test(String(e.message ?? ''))
    || SDK_WRAPPER.test(String(e.message ?? ''))) {
    return 'network';
  }
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'internal';
  if (status === 404) return 'not-found';
  if (status === 403) return 'access-denied';
  if (status === 400) return 'invalid';
  return 'unknown';
}

/** Whether a call that failed with this kind of error is worth sending again. */
export function isRetryable(kind: ErrorKind): boolean {
  return kind === 'throttled' || kind === 'internal' || kind === 'network';
}

/** How a call's retries ended, for its error message. */
export interface RetrySummary {
  /** Time from the first attempt to giving up, in milliseconds. */
  readonly elapsedMs?: number;
  /** The retries stopped at the invocation's deadline (not at an attempt limit). */
  readonly outOfTime?: boolean;
}

/**
 * A failed Connect call: the operation, the classification and the service's own message.
 *
 * Thrown by `ConnectApi` after its retries are exhausted (or at once for errors not worth retrying).
 */
export class ConnectApiError extends Error {
  /** What went wrong. */
  public readonly kind: ErrorKind;
  /** The Connect operation, e.g. `DeleteSecurityProfile`. */
  public readonly operation: string;
  /** The SDK's error name, e.g. `ResourceInUseException`. */
  public readonly errorName: string;
  /** How many attempts were made. */
  public readonly attempts: number;
  /** True when the retries stopped because the invocation's time ran out. */
  public readonly outOfTime: boolean;

  /**
   * @param operation the Connect operation
   * @param cause the last attempt's error
   * @param attempts how many attempts were made
   * @param retries how long they took, and whether the invocation's time ran out
   */
  constructor(operation: string, cause: unknown, attempts: number, retries: RetrySummary = {}) {
    const kind = classifyError(cause);
    const errorName = errorNameOf(cause);
    super(`${operation} failed: ${reasonOf(kind, errorName, messageOf(cause), attempts, retries)}`, { cause });
    this.name = 'ConnectApiError';
    this.kind = kind;
    this.operation = operation;
    this.errorName = errorName;
    this.attempts = attempts;
    this.outOfTime = retries.outOfTime ?? false;
  }
}

/**
 * An error the handler reports to CloudFormation as is (its message is the whole story).
 */
export class HandlerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HandlerError';
  }
}

/**
 * Build the error CloudFormation shows: `<action> security profile "<name>" in instance <id>: <reason>`.
 *
 * @param action a verb phrase, e.g. `update` or `delete`
 * @param name the security profile name (or the best we know)
 * @param instanceId the Connect instance id
 * @param reason what went wrong and what to do; a `ConnectApiError` or any other error is rendered by `describeError`
 */
export function securityProfileError(action: string, name: string, instanceId: string, reason: unknown): HandlerError {
  const text = typeof reason === 'string' ? reason : describeError(reason);
  return new HandlerError(`${action} security profile "${name}" in instance ${instanceId}: ${text}`, {
    cause: typeof reason === 'string' ? undefined : reason,
  });
}

/** A short, human explanation of an error, with advice for the kinds that have some. */
export function describeError(err: unknown): string {
  if (err instanceof ConnectApiError || err instanceof HandlerError) return err.message;
  const kind = classifyError(err);
  return reasonOf(kind, errorNameOf(err), messageOf(err), 1);
}

function reasonOf(kind: ErrorKind, errorName: string, message: string, attempts: number, retries: RetrySummary = {}): string {
  const what = message ? `${errorName}: ${message}` : errorName;
  const over = retries.elapsedMs === undefined ? '' : ` over ${Math.round(retries.elapsedMs / 1000)} s`;
  const why = retries.outOfTime ? ', when the invocation\'s time ran out' : '';
  switch (kind) {
    case 'quota':
      return `${what} (a Connect service quota was reached; this is not retried. Raise the quota in Service Quotas or remove unused resources, then retry)`;
    case 'throttled':
      return `${what} (still throttled after ${attempts} attempt(s)${over}${why}; Connect's rate quota of this API is shared by every process and tool in the account and Region. `
        + 'Deploy again when the other traffic is over, or raise the API\'s client-side limit (`rateLimits` of the stack\'s '
        + 'SecurityProfileSettings) with its rate quota in Service Quotas)';
    case 'access-denied':
      return `${what} (the handler's role lacks a Connect permission, or the instance belongs to another account)`;
    case 'internal':
    case 'network':
      return `${what} (failed after ${attempts} attempt(s)${over}${why}; retry the deployment)`;
    default:
      return what;
  }
}

function errorNameOf(err: unknown): string {
  if (err instanceof ConnectApiError) return err.errorName;
  if (typeof err === 'object' && err !== null) {
    const name = (err as ErrorLike).name;
    const code = (err as ErrorLike).code;
    if (typeof name === 'string' && name && name !== 'Error') return name;
    const wrapped = SDK_WRAPPER.exec(String((err as ErrorLike).message ?? ''));
    if (wrapped) return wrapped[1];
    if (typeof code === 'string' && code) return code;
  }
  return 'Error';
}

function messageOf(err: unknown): string {
  if (typeof err === 'object' && err !== null) {
    const message = (err as ErrorLike).message;
    if (typeof message === 'string') return message;
  }
  return String(err);
}
