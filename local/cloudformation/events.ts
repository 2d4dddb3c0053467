/**
 * Custom-resource events of the library's resource type, addressed to a fixed stack, for the tests and the
 * scale workloads that call the handler directly (without the player).
 */
import { type CustomResourceEvent, customResourceEvent } from './custom-resource';
import { RESOURCE_TYPE } from '../../src/private/contract';

/** The Provider framework's onEvent function, as a `ServiceToken`. */
export const SERVICE_TOKEN = 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent';

export const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/HandlerTest/5a6b7c8d-0000-1111-2222-333344445555';
export const LOGICAL_ID = 'SupervisorProfile0A1B2C3D';
/** A pre-signed URL shape; its signature must never reach a log line. */
export const RESPONSE_URL = 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x?X-Amz-Signature=SECRET-SIGNATURE-0123';

let requestSeq = 0;

/** A CloudFormation event as the Provider framework hands it to onEvent. */
export function cfnEvent(
  requestType: 'Create' | 'Update' | 'Delete',
  properties: Record<string, unknown>,
  options: { physicalResourceId?: string; oldProperties?: Record<string, unknown>; logicalId?: string; stackId?: string; responseUrl?: string } = {},
): CustomResourceEvent {
  return customResourceEvent({
    requestType,
    serviceToken: SERVICE_TOKEN,
    responseUrl: options.responseUrl ?? RESPONSE_URL,
    stackId: options.stackId ?? STACK_ID,
    requestId: `req-${++requestSeq}`,
    logicalId: options.logicalId ?? LOGICAL_ID,
    resourceType: RESOURCE_TYPE,
    properties,
    oldProperties: requestType === 'Update' ? options.oldProperties ?? {} : undefined,
    physicalResourceId: options.physicalResourceId,
  });
}
