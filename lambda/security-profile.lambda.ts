/**
 * The Lambda entrypoint for CloudFormation events (through the Provider framework's onEvent contract).
 *
 * Thin: builds the dependencies once per container and hands each event to `handleEvent`. The Connect
 * endpoint, Region and credentials come from the standard SDK settings (`AWS_ENDPOINT_URL_CONNECT`,
 * `AWS_REGION`, ...), so the same bundle runs against AWS and the local emulator.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { AssignmentResponse, onAssignmentEvent } from './assignment-event';
import { AssignmentStore } from './assignment-store';
import { ConnectApi, InvocationDeadline, createConnectClient } from './connect-api';
import { GroupLookupResponse, onGroupLookupEvent } from './group-lookup';
import { LeaseTable } from './lease';
import { createLogger } from './logger';
import { OnEventResponse, handleEvent } from './on-event';
import { DynamoDbStateStore } from './state-table';
import { ASSIGNMENT_RESOURCE_TYPE } from '../src/private/assignment-contract';
import { ENV, GROUP_LOOKUP_RESOURCE_TYPE } from '../src/private/contract';

let deps: {
  connect: ConnectApi; logger: ReturnType<typeof createLogger>; stateStore?: DynamoDbStateStore; leases?: LeaseTable; assignments?: AssignmentStore;
} | undefined;

/** The handler function (`index.onEvent` in the bundle). */
export async function handler(
  event: CloudFormationCustomResourceEvent, context?: Context,
): Promise<OnEventResponse | GroupLookupResponse | AssignmentResponse> {
  if (!deps) {
    const logger = createLogger();
    // drift reconciliation is on for the stack when the provider names the desired-state table
    const tableName = process.env[ENV.desiredStateTable];
    const dynamo = tableName ? new DynamoDBClient({}) : undefined;
    deps = {
      logger,
      ...(tableName && dynamo ? {
        stateStore: new DynamoDbStateStore({ tableName, client: dynamo }),
        leases: new LeaseTable({ tableName, client: dynamo }),
        assignments: new AssignmentStore({ tableName, client: dynamo }),
      } : {}),
      connect: new ConnectApi(createConnectClient(), {
        onRetry: ({ operation, attempt, delayMs, error }) =>
          logger.debug('retrying Connect call', { operation, attempt, delayMs, error: (error as Error)?.name }),
      }),
    };
  }
  if (context) deps.logger.addContext(context);
  // a throttled call waits as long as this invocation may run, not a fixed number of attempts
  const connect = context ? deps.connect.withDeadline(InvocationDeadline.fromContext(context)) : deps.connect;
  try {
    // the stack's one provider also serves the hierarchy group lookups and the assignments
    if (event.ResourceType === GROUP_LOOKUP_RESOURCE_TYPE) return await onGroupLookupEvent(event, { ...deps, connect });
    if (event.ResourceType === ASSIGNMENT_RESOURCE_TYPE) return await onAssignmentEvent(event, { ...deps, connect });
    return await handleEvent(event, { ...deps, connect });
  } catch (err) {
    deps.logger.error('request failed', { error: (err as Error)?.message ?? String(err) });
    throw err;
  }
}
