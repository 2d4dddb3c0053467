/**
 * What CloudFormation and the CDK Provider framework do with one custom-resource event: the event
 * CloudFormation sends, the properties as it sends them, and the response the framework makes of the
 * user function's answer. The player (player.ts) and the fault model of the tests (test/faults/) both
 * deliver their events through these, so the two cannot disagree on them.
 *
 * The framework's part is read from aws-cdk-lib `custom-resources/lib/provider-framework/runtime`
 * (framework.ts, cfn-response.ts): a missing `PhysicalResourceId` defaults to the RequestId (Create) or
 * the event's id (Update, Delete); a Delete may not change the physical id; the user function's error
 * becomes a FAILED response, and a failed Create answers with the marker physical id
 * `AWSCDK::CustomResourceProviderFramework::CREATE_FAILED`, whose Delete (the rollback CloudFormation
 * then sends) is answered SUCCESS without calling the user function. CloudFormation refuses a response
 * over 4,096 bytes.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';

/** The event CloudFormation sends a custom resource, and the Provider framework passes on unchanged. */
export type CustomResourceEvent = CloudFormationCustomResourceEvent;

/** The marker physical id the Provider framework answers a failed Create with. */
export const CREATE_FAILED_MARKER = 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED';

/** The largest response CloudFormation accepts from a custom resource, in bytes. */
export const MAX_RESPONSE_BYTES = 4096;

/** What the user function returns (the Provider framework's onEvent contract). */
export interface OnEventResult {
  readonly PhysicalResourceId?: string;
  readonly Data?: object;
}

/** The response CloudFormation records for one event. */
export interface EventOutcome {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly data?: object;
  readonly reason?: string;
}

/** Turn every scalar into a string, as CloudFormation does with custom-resource properties. */
export function stringifyScalars(value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (Array.isArray(value)) return value.map(stringifyScalars);
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v !== undefined) out[k] = stringifyScalars(v);
    }
    return out;
  }
  return String(value);
}

/** One custom-resource request of a stack operation. */
export interface CustomResourceRequest {
  readonly requestType: 'Create' | 'Update' | 'Delete';
  readonly serviceToken: string;
  readonly responseUrl: string;
  readonly stackId: string;
  readonly requestId: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The resource's properties as CloudFormation sends them (`ServiceToken` is added first when absent). */
  readonly properties: Record<string, unknown>;
  /** Update only: the properties the resource had. */
  readonly oldProperties?: Record<string, unknown>;
  /** Update and Delete: the resource's physical id. */
  readonly physicalResourceId?: string;
}

/** The event CloudFormation sends for a request. */
export function customResourceEvent(request: CustomResourceRequest): CustomResourceEvent {
  const common = {
    ServiceToken: request.serviceToken,
    ResponseURL: request.responseUrl,
    StackId: request.stackId,
    RequestId: request.requestId,
    LogicalResourceId: request.logicalId,
    ResourceType: request.resourceType,
    ResourceProperties: { ServiceToken: request.serviceToken, ...request.properties },
  };
  if (request.requestType === 'Create') return { ...common, RequestType: 'Create' };
  const physicalResourceId = request.physicalResourceId ?? '';
  if (request.requestType === 'Update') {
    return {
      ...common,
      RequestType: 'Update',
      PhysicalResourceId: physicalResourceId,
      OldResourceProperties: { ServiceToken: request.serviceToken, ...request.oldProperties },
    };
  }
  return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalResourceId };
}

/** True for the Delete the Provider framework answers itself (the rollback of a failed Create). */
export function answeredByFramework(event: CustomResourceEvent): boolean {
  return event.RequestType === 'Delete' && event.PhysicalResourceId === CREATE_FAILED_MARKER;
}

/**
 * The response the Provider framework sends CloudFormation when the user function returned `answer`
 * (a value) or threw (`{ error }`, its message).
 */
export function frameworkResponse(
  event: CustomResourceEvent, answer: { readonly result: OnEventResult | undefined } | { readonly error: string },
): EventOutcome {
  const idOnFailure = event.RequestType === 'Create' ? CREATE_FAILED_MARKER : event.PhysicalResourceId;
  if ('error' in answer) {
    return { status: 'FAILED', physicalResourceId: idOnFailure, reason: answer.error };
  }
  const result = answer.result;
  const physicalResourceId = result?.PhysicalResourceId || (event.RequestType === 'Create' ? event.RequestId : event.PhysicalResourceId);
  if (event.RequestType === 'Delete' && physicalResourceId !== event.PhysicalResourceId) {
    return {
      status: 'FAILED',
      physicalResourceId: idOnFailure,
      reason: `DELETE: cannot change the physical resource ID from "${event.PhysicalResourceId}" to "${physicalResourceId}" during deletion`,
    };
  }
  const size = Buffer.byteLength(JSON.stringify({ ...result, Data: result?.Data ?? {} }));
  if (size > MAX_RESPONSE_BYTES) {
    return { status: 'FAILED', physicalResourceId: idOnFailure, reason: `Response object is too long (${size} bytes; CloudFormation accepts ${MAX_RESPONSE_BYTES})` };
  }
  return { status: 'SUCCESS', physicalResourceId, data: result?.Data };
}
