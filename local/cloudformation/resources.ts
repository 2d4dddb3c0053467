/**
 * What the player does for each resource type.
 *
 * Three kinds of resources:
 * - **played**: created for real against the local services: `AWS::Connect::UserHierarchyGroup` and
 *   `AWS::Connect::UserHierarchyStructure` through the emulator with the real Connect SDK,
 *   `AWS::DynamoDB::Table` (and `GlobalTable`) in dynalite with the real DynamoDB SDK;
 * - **custom resources**: handed to the function behind their `ServiceToken` (see player.ts);
 * - **recorded**: everything else (IAM, Lambda functions, log groups, schedules, rules, alarms) has no
 *   local effect; the player records it, gives it a physical id and answers `Ref`/`Fn::GetAtt` with
 *   values shaped like the real ones, so functions can be found by ARN and environments resolved.
 */
import {
  ConnectClient,
  CreateUserHierarchyGroupCommand,
  DeleteUserHierarchyGroupCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserHierarchyGroupNameCommand,
  UpdateUserHierarchyStructureCommand,
  type HierarchyStructureUpdate,
} from '@aws-sdk/client-connect';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';

/** The local services and the account the player deploys into. */
export interface PlayerServices {
  readonly connect: ConnectClient;
  readonly dynamodb: DynamoDBClient;
  readonly region: string;
  readonly accountId: string;
  readonly partition: string;
}

/** The identity of a created resource. */
export interface ResourceIdentity {
  readonly physicalId: string;
  /** `Ref` value, when it differs from the physical id. */
  readonly ref?: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** What a played resource type does on create, update and delete. */
export interface ResourceHandler {
  /** Short verb phrase for the log, e.g. `CreateUserHierarchyGroup`. */
  create(props: Record<string, unknown>, name: string): Promise<ResourceIdentity>;
  /** @returns the new identity; a different physical id means replacement (the old one is deleted later) */
  update(current: ResourceIdentity, props: Record<string, unknown>, old: Record<string, unknown>, name: string): Promise<ResourceIdentity>;
  delete(current: ResourceIdentity, props: Record<string, unknown>): Promise<void>;
}

/** The handler of a played type, or undefined for a recorded one. */
export function playedResourceHandler(type: string, services: PlayerServices): ResourceHandler | undefined {
  switch (type) {
    case 'AWS::Connect::UserHierarchyGroup':
      return userHierarchyGroup(services);
    case 'AWS::Connect::UserHierarchyStructure':
      return userHierarchyStructure(services);
    case 'AWS::DynamoDB::Table':
    case 'AWS::DynamoDB::GlobalTable':
      return dynamoDbTable(services, type);
    default:
      return undefined;
  }
}

function userHierarchyGroup(services: PlayerServices): ResourceHandler {
  const identity = (arn: string): ResourceIdentity => ({
    physicalId: arn,
    attributes: { UserHierarchyGroupArn: arn },
  });
  const create = async (props: Record<string, unknown>) => {
    const instanceArn = requiredString(props, 'InstanceArn', 'AWS::Connect::UserHierarchyGroup');
    const parent = optionalString(props, 'ParentGroupArn');
    const tags = tagListToMap(props.Tags);
    const out = await services.connect.send(new CreateUserHierarchyGroupCommand({
      InstanceId: instanceArn,
      Name: requiredString(props, 'Name', 'AWS::Connect::UserHierarchyGroup'),
      ParentGroupId: parent ? lastSegment(parent) : undefined,
      Tags: Object.keys(tags).length > 0 ? tags : undefined,
    }));
    return identity(out.HierarchyGroupArn!);
  };
  return {
    create,
    update: async (current, props, old) => {
      if (props.InstanceArn !== old.InstanceArn || props.ParentGroupArn !== old.ParentGroupArn) {
        return create(props); // replacement: CloudFormation creates the new group, then deletes the old one
      }
      const arn = current.physicalId;
      if (props.Name !== old.Name) {
        await services.connect.send(new UpdateUserHierarchyGroupNameCommand({
          InstanceId: String(props.InstanceArn), HierarchyGroupId: lastSegment(arn), Name: String(props.Name),
        }));
      }
      await syncTags(services.connect, arn, tagListToMap(old.Tags), tagListToMap(props.Tags));
      return identity(arn);
    },
    delete: async (current, props) => {
      await services.connect.send(new DeleteUserHierarchyGroupCommand({
        InstanceId: String(props.InstanceArn), HierarchyGroupId: lastSegment(current.physicalId),
      }));
    },
  };
}

function userHierarchyStructure(services: PlayerServices): ResourceHandler {
  const apply = async (props: Record<string, unknown>): Promise<ResourceIdentity> => {
    const instanceArn = requiredString(props, 'InstanceArn', 'AWS::Connect::UserHierarchyStructure');
    const structure = (props.UserHierarchyStructure ?? {}) as Record<string, { Name: string }>;
    const update: HierarchyStructureUpdate = {};
    for (const level of ['LevelOne', 'LevelTwo', 'LevelThree', 'LevelFour', 'LevelFive'] as const) {
      if (structure[level]) {
        update[level] = { Name: structure[level].Name };
      }
    }
    await services.connect.send(new UpdateUserHierarchyStructureCommand({ InstanceId: instanceArn, HierarchyStructure: update }));
    const arn = `${instanceArn}/user-hierarchy-structure`;
    return { physicalId: arn, attributes: { UserHierarchyStructureArn: arn } };
  };
  return {
    create: apply,
    update: (_current, props) => apply(props),
    delete: async () => {
      // CloudFormation leaves the levels in place (they cannot be removed while groups use them).
    },
  };
}

function dynamoDbTable(services: PlayerServices, type: string): ResourceHandler {
  const identity = (tableName: string): ResourceIdentity => {
    const arn = `arn:${services.partition}:dynamodb:${services.region}:${services.accountId}:table/${tableName}`;
    return { physicalId: tableName, attributes: { Arn: arn, StreamArn: `${arn}/stream/local`, TableId: tableName } };
  };
  return {
    create: async (props, name) => {
      const tableName = optionalString(props, 'TableName') ?? name;
      const billingMode = (props.BillingMode ?? (type === 'AWS::DynamoDB::GlobalTable' ? 'PROVISIONED' : 'PROVISIONED')) as string;
      const input: CreateTableCommandInput = {
        TableName: tableName,
        KeySchema: props.KeySchema as CreateTableCommandInput['KeySchema'],
        AttributeDefinitions: props.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
        BillingMode: billingMode as CreateTableCommandInput['BillingMode'],
        ProvisionedThroughput: billingMode === 'PAY_PER_REQUEST'
          ? undefined
          : (props.ProvisionedThroughput as CreateTableCommandInput['ProvisionedThroughput']) ?? { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
        GlobalSecondaryIndexes: (props.GlobalSecondaryIndexes as Array<Record<string, unknown>> | undefined)?.map((gsi) => ({
          IndexName: gsi.IndexName as string,
          KeySchema: gsi.KeySchema as never,
          Projection: gsi.Projection as never,
          ProvisionedThroughput: billingMode === 'PAY_PER_REQUEST' ? undefined : (gsi.ProvisionedThroughput as never),
        })),
      };
      await services.dynamodb.send(new CreateTableCommand(input));
      return identity(tableName);
    },
    update: async (current, props, old, name) => {
      const keyChanged = JSON.stringify(props.KeySchema) !== JSON.stringify(old.KeySchema)
        || props.TableName !== old.TableName;
      if (keyChanged) {
        throw new Error(`the player does not replace DynamoDB tables (the key schema or name of ${name} changed)`);
      }
      return current;
    },
    delete: async (current) => {
      await services.dynamodb.send(new DeleteTableCommand({ TableName: current.physicalId }));
    },
  };
}

/**
 * The `Ref` value and attributes of a recorded (not played) resource, shaped like the real ones.
 */
export function recordedIdentity(type: string, physicalId: string, services: PlayerServices): ResourceIdentity {
  const { partition, region, accountId } = services;
  const arnOf = (service: string, resource: string, global = false) =>
    `arn:${partition}:${service}:${global ? '' : region}:${global ? accountId : accountId}:${resource}`;
  switch (type) {
    case 'AWS::Lambda::Function': {
      const arn = arnOf('lambda', `function:${physicalId}`);
      return { physicalId, attributes: { Arn: arn } };
    }
    case 'AWS::IAM::Role':
      return { physicalId, attributes: { Arn: `arn:${partition}:iam::${accountId}:role/${physicalId}`, RoleId: `AROA${physicalId.slice(0, 16).toUpperCase()}` } };
    case 'AWS::IAM::ManagedPolicy': {
      const arn = `arn:${partition}:iam::${accountId}:policy/${physicalId}`;
      return { physicalId: arn, attributes: { PolicyArn: arn } };
    }
    case 'AWS::Logs::LogGroup':
      return { physicalId, attributes: { Arn: arnOf('logs', `log-group:${physicalId}:*`) } };
    case 'AWS::SQS::Queue':
      return {
        physicalId: `https://sqs.${region}.amazonaws.com/${accountId}/${physicalId}`,
        attributes: { Arn: arnOf('sqs', physicalId), QueueName: physicalId, QueueUrl: `https://sqs.${region}.amazonaws.com/${accountId}/${physicalId}` },
      };
    case 'AWS::SNS::Topic': {
      const arn = arnOf('sns', physicalId);
      return { physicalId: arn, attributes: { TopicArn: arn, TopicName: physicalId } };
    }
    case 'AWS::Events::Rule':
      return { physicalId, attributes: { Arn: arnOf('events', `rule/${physicalId}`) } };
    case 'AWS::Scheduler::Schedule':
      return { physicalId, attributes: { Arn: arnOf('scheduler', `schedule/default/${physicalId}`) } };
    case 'AWS::Scheduler::ScheduleGroup':
      return { physicalId, attributes: { Arn: arnOf('scheduler', `schedule-group/${physicalId}`) } };
    case 'AWS::KMS::Key':
      return { physicalId, attributes: { Arn: arnOf('kms', `key/${physicalId}`), KeyId: physicalId } };
    case 'AWS::CloudWatch::Alarm':
      return { physicalId, attributes: { Arn: arnOf('cloudwatch', `alarm:${physicalId}`) } };
    case 'AWS::StepFunctions::StateMachine': {
      const arn = arnOf('states', `stateMachine:${physicalId}`);
      return { physicalId: arn, attributes: { Arn: arn, Name: physicalId } };
    }
    default: {
      const service = type.split('::')[1]?.toLowerCase() ?? 'unknown';
      const resource = type.split('::')[2]?.toLowerCase() ?? 'resource';
      return { physicalId, attributes: { Arn: arnOf(service, `${resource}/${physicalId}`) } };
    }
  }
}

async function syncTags(connect: ConnectClient, arn: string, before: Record<string, string>, after: Record<string, string>): Promise<void> {
  const removed = Object.keys(before).filter((k) => !(k in after));
  const changed = Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k] !== v));
  if (removed.length > 0) {
    await connect.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: removed }));
  }
  if (Object.keys(changed).length > 0) {
    await connect.send(new TagResourceCommand({ resourceArn: arn, tags: changed }));
  }
}

/** CloudFormation's `[{Key, Value}]` tag list as a map. */
export function tagListToMap(tags: unknown): Record<string, string> {
  if (!Array.isArray(tags)) {
    return {};
  }
  return Object.fromEntries(tags.map((t: { Key: string; Value: string }) => [t.Key, t.Value]));
}

function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function requiredString(props: Record<string, unknown>, key: string, type: string): string {
  const value = props[key];
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${type}: property ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalString(props: Record<string, unknown>, key: string): string | undefined {
  const value = props[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
