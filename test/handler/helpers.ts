/**
 * Shared fixtures of the handler tests: CloudFormation events, a ConnectApi against the emulator, a log
 * sink, an in-memory desired-state store.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ConnectApi } from '../../lambda/connect-api';
import type { DesiredStateRecord, DesiredStateStore } from '../../lambda/desired-state';
import { OnEventDeps } from '../../lambda/on-event';
import { TokenBucket } from '../../lambda/rate-limiter';
import { RESOURCE_TYPE } from '../../src/private/contract';
import { ConnectEmulator, connectClientFor } from '../connect-emulator';
import { TestLogger } from '../support/logger';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/HandlerTest/5a6b7c8d-0000-1111-2222-333344445555';
export const LOGICAL_ID = 'SupervisorProfile0A1B2C3D';
/** A pre-signed URL shape; its signature must never reach a log line. */
export const RESPONSE_URL = 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Signature=SECRET-SIGNATURE-0123';

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
export function depsFor(emulator: ConnectEmulator, extra: Partial<OnEventDeps> = {}): OnEventDeps & { logger: TestLogger } {
  const deps = { connect: fastApi(emulator), logger: new TestLogger(), consistencyWaitMs: 3000, ...extra };
  return deps as OnEventDeps & { logger: TestLogger };
}

let requestSeq = 0;

/** A CloudFormation event as the Provider framework hands it to onEvent. */
export function cfnEvent(
  requestType: 'Create' | 'Update' | 'Delete',
  properties: Record<string, unknown>,
  options: { physicalResourceId?: string; oldProperties?: Record<string, unknown>; logicalId?: string; stackId?: string } = {},
): CloudFormationCustomResourceEvent {
  const serviceToken = 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent';
  const common = {
    ServiceToken: serviceToken,
    ResponseURL: RESPONSE_URL,
    StackId: options.stackId ?? STACK_ID,
    RequestId: `req-${++requestSeq}`,
    LogicalResourceId: options.logicalId ?? LOGICAL_ID,
    ResourceType: RESOURCE_TYPE,
    ResourceProperties: { ServiceToken: serviceToken, ...properties },
  };
  if (requestType === 'Create') return { ...common, RequestType: 'Create' } as CloudFormationCustomResourceEvent;
  if (requestType === 'Update') {
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: options.physicalResourceId ?? '',
      OldResourceProperties: { ServiceToken: serviceToken, ...(options.oldProperties ?? {}) },
    } as CloudFormationCustomResourceEvent;
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: options.physicalResourceId ?? '' } as CloudFormationCustomResourceEvent;
}

/** The operations of the request log since it was last cleared. */
export function operations(emulator: ConnectEmulator): string[] {
  return emulator.requestLog.map((e) => e.operation);
}

/** Write operations in the request log. */
export const WRITES = new Set(['CreateSecurityProfile', 'UpdateSecurityProfile', 'DeleteSecurityProfile', 'TagResource', 'UntagResource']);
