/**
 * Shared fixtures of the handler tests: CloudFormation events (local/cloudformation/events.ts), a ConnectApi against the emulator, a log
 * sink, an in-memory desired-state store.
 */
import { ConnectApi } from '../../lambda/connect-api';
import { HandleEventDeps } from '../../lambda/on-event';
import { TokenBucket } from '../../lambda/rate-limiter';
import type { DesiredStateRecord, DesiredStateStore } from '../../lambda/state-table';
import { ConnectEmulator, connectClientFor } from '../../local/connect-emulator';
import { TestLogger } from '../support/logger';

export { cfnEvent, LOGICAL_ID, RESPONSE_URL, STACK_ID } from '../../local/cloudformation/events';

/** An in-memory desired-state store (the interface's reference behaviour). */
export class MemoryStateStore implements DesiredStateStore {
  public readonly records = new Map<string, DesiredStateRecord>();
  public async put(record: DesiredStateRecord): Promise<void> { this.records.set(record.securityProfileArn, record); }
  public async delete(arn: string): Promise<void> { this.records.delete(arn); }
}

/** Options of `fastApi`. */
export interface FastApiOptions { ratePerSecond?: number; burst?: number; maxAttempts?: number; pageSize?: number }

/** A gateway to the emulator: no client-side limit (unless given), tiny retry delays. */
export function fastApi(emulator: ConnectEmulator, options: FastApiOptions = {}): ConnectApi {
  return new ConnectApi(connectClientFor(emulator, { maxAttempts: 1 }), {
    rateLimiter: new TokenBucket({ ratePerSecond: options.ratePerSecond ?? 10_000, burst: options.burst ?? 10_000 }),
    retry: { maxAttempts: options.maxAttempts ?? 8, baseDelayMs: 1, throttleBaseDelayMs: 20, maxDelayMs: 400 },
    pageSize: options.pageSize,
  });
}

/** Handler dependencies for a test. */
export function depsFor(emulator: ConnectEmulator, extra: Partial<HandleEventDeps> = {}): HandleEventDeps & { logger: TestLogger } {
  const deps = { connect: fastApi(emulator), logger: new TestLogger(), consistencyWaitMs: 3000, ...extra };
  return deps as HandleEventDeps & { logger: TestLogger };
}

/** The operations of the request log since it was last cleared. */
export function operations(emulator: ConnectEmulator): string[] {
  return emulator.requestLog.map((e) => e.operation);
}

/** Write operations in the request log. */
export const WRITES = new Set(['CreateSecurityProfile', 'UpdateSecurityProfile', 'DeleteSecurityProfile', 'TagResource', 'UntagResource']);
