/**
 * The one CloudFormation event builder of the tests: an event as the Provider framework hands it to onEvent.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { RESOURCE_TYPE } from '../../src/private/contract';

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
): CloudFormationCustomResourceEvent {
  const serviceToken = 'arn:aws:lambda:us-east-1:123456789012:function:provider-framework-onEvent';
  const common = {
    ServiceToken: serviceToken,
    ResponseURL: options.responseUrl ?? RESPONSE_URL,
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
