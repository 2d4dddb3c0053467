/**
 * Items of the desired-state table: their key, and writes made only under a condition.
 *
 * The records, the assignments and the leases share one table and one partition key; every conditional
 * write of theirs treats a condition that does not hold as an answer (the item is gone, the lease is
 * someone else's), not as an error.
 */
import {
  AttributeValue,
  ConditionalCheckFailedException,
  DynamoDBClient,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DESIRED_STATE_PARTITION_KEY } from '../src/private/contract';

/** The `Key` of the item stored under `key`. */
export function itemKey(key: string): Record<string, AttributeValue> {
  return { [DESIRED_STATE_PARTITION_KEY]: { S: key } };
}

/**
 * The result of a conditional write; `undefined` when its condition did not hold.
 *
 * @throws whatever else the write throws
 */
export async function unlessConditionFails<T>(write: Promise<T>): Promise<T | undefined> {
  try {
    return await write;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return undefined;
    throw error;
  }
}

/** Update the item stored under `key` only when it exists; false when it does not. */
export async function updateExistingItem(
  client: DynamoDBClient,
  tableName: string,
  key: string,
  expression: string,
  values: Record<string, AttributeValue>,
): Promise<boolean> {
  const out = await unlessConditionFails(client.send(new UpdateItemCommand({
    TableName: tableName,
    Key: itemKey(key),
    UpdateExpression: expression,
    ConditionExpression: 'attribute_exists(#pk)',
    ExpressionAttributeNames: { '#pk': DESIRED_STATE_PARTITION_KEY },
    ExpressionAttributeValues: values,
  })));
  return out !== undefined;
}
