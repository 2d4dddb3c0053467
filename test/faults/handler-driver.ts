/**
 * Runs the real handler (`handleEvent` of lambda/on-event.ts, with the real `ConnectApi` over the real
 * `@aws-sdk/client-connect`) against the emulator, the way one Lambda invocation would, with the knobs
 * a fast test needs: near-zero retry delays and a rate limiter that never waits.
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { InvocationChaos } from './cloudformation';
import { ConnectApi } from '../../lambda/connect-api';
import type { LeaseTable } from '../../lambda/lease';
import type { HandlerLogger } from '../../lambda/logger';
import { handleEvent } from '../../lambda/on-event';
import { TokenBucket } from '../../lambda/rate-limiter';
import type { DesiredStateStore } from '../../lambda/state-table';
import type { CustomResourceEvent, OnEventResult } from '../../local/cloudformation/custom-resource';
import { connectClientFor, ConnectEmulator } from '../../local/connect-emulator';

/** The error a killed Lambda's pending requests end with (the process is gone: nothing more is sent). */
export class LambdaKilledError extends Error {
  constructor(after: number) {
    super(`Task timed out (the test killed the Lambda after ${after} Connect requests)`);
    this.name = 'LambdaKilledError';
  }
}

/** The access key id the handler's Connect client signs with (its requests in the emulator's log). */
export const HANDLER_CALLER = 'AKIDFAULTHANDLER';

/** Options of the driver. */
export interface HandlerDriverOptions {
  /** Attempts per Connect call inside the handler (its own retry loop). */
  readonly maxAttempts: number;
  /** The logger the handler writes to. */
  readonly logger: HandlerLogger;
  /** The desired-state store of the current run (drift reconciliation on); none when absent. */
  readonly stateStore?: () => DesiredStateStore | undefined;
  /** The leases in the same table (present whenever `stateStore` is, as in the deployed handler). */
  readonly leases?: () => LeaseTable | undefined;
  /**
   * The DynamoDB client behind `stateStore` and `leases`: a killed Lambda sends nothing more to it
   * either, so its lease stays held until it expires, as a real one does.
   */
  readonly dynamo?: DynamoDBClient;
}

/** A handler invoker with the client it uses (destroy it when done). */
export interface HandlerInvokerWithClient {
  /** Runs the handler once (one Lambda invocation). */
  readonly invoke: (event: CustomResourceEvent, chaos: InvocationChaos) => Promise<OnEventResult | undefined>;
  /** The SDK client behind it. */
  readonly client: ConnectClient;
  /** Invocations running now, and started so far (to tell whether a check overlapped one). */
  readonly activity: { running: number; started: number };
}

/**
 * Build an invoker for `SimulatedStack`: each call is one Lambda invocation with the real `ConnectApi`
 * and the real `handleEvent`. Invocations run one at a time and share one SDK client (building a client
 * per invocation costs more than the requests); a kill is armed per invocation.
 */
export function handlerInvoker(emulator: ConnectEmulator, options: HandlerDriverOptions): HandlerInvokerWithClient {
  const limiter = new TokenBucket({ ratePerSecond: 1_000_000, burst: 1_000_000 });
  const client = connectClientFor(emulator, { maxAttempts: 1, credentials: { accessKeyId: HANDLER_CALLER, secretAccessKey: 'handler-secret' } });
  const kill = armableKill(client);
  if (options.dynamo) kill.alsoFor(options.dynamo);
  const immediate = () => new Promise<void>((resolve) => setImmediate(resolve));
  const activity = { running: 0, started: 0 };
  const invoke = async (event: CustomResourceEvent, chaos: InvocationChaos): Promise<OnEventResult | undefined> => {
    kill.arm(chaos.killAfterRequests);
    activity.running++;
    activity.started++;
    const connect = new ConnectApi(client, {
      rateLimiter: limiter,
      retry: { maxAttempts: options.maxAttempts, baseDelayMs: 1, throttleBaseDelayMs: 1, maxDelayMs: 2 },
      sleep: immediate,
    });
    try {
      return await handleEvent(event, {
        connect, logger: options.logger, consistencyWaitMs: 50, sleep: immediate, stateStore: options.stateStore?.(), leases: options.leases?.(),
      });
    } finally {
      kill.arm(undefined);
      activity.running--;
    }
  };
  return { invoke, client, activity };
}

/**
 * Once armed with `n`, the Lambda dies while it waits for the response of its `n`-th request: that
 * request reaches Connect (and takes effect), its response is never processed, and no later request of
 * the invocation is sent.
 */
function armableKill(client: ConnectClient): { arm(n: number | undefined): void; alsoFor(other: DynamoDBClient): void } {
  let limit: number | undefined;
  let sent = 0;
  const dead = () => limit !== undefined && sent >= limit;
  client.middlewareStack.add((next) => async (args) => {
    const n = limit;
    if (n !== undefined && sent >= n) throw new LambdaKilledError(n);
    sent++;
    const output = await next(args);
    if (n !== undefined && sent >= n) throw new LambdaKilledError(n);
    return output;
  }, { step: 'initialize', name: 'faultTestKill' });
  return {
    arm(n) {
      limit = n;
      sent = 0;
    },
    alsoFor(other) {
      other.middlewareStack.add((next) => async (args) => {
        if (dead()) throw new LambdaKilledError(limit!);
        return next(args);
      }, { step: 'initialize', name: 'faultTestKill' });
    },
  };
}
