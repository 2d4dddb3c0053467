/**
 * A small local CloudFormation: deploys, updates and deletes the stacks of a synthesized cloud
 * assembly against local services, in dependency order, the way CloudFormation would.
 *
 * - Resources are created in dependency order, updated when their resolved properties change, and
 *   deleted (dependents first) when they leave the template; a resource whose update returns a new
 *   physical id is replaced: the old one is deleted in the cleanup phase, after every update, with its
 *   old properties, as CloudFormation does.
 * - Custom resources are sent to the function behind their `ServiceToken`. When that function is the CDK
 *   Provider framework, the player plays the framework's part: it invokes the user's onEvent function
 *   (found through the framework's `USER_ON_EVENT_FUNCTION_ARN`) with the CloudFormation event and makes
 *   CloudFormation's response of its return value as the framework does (custom-resource.ts).
 * - Functions run from their synthesized asset directory in cdk.out, with the environment the template
 *   gives them plus the local endpoints and credentials (see `LocalLambda`).
 * - Not emulated: rollback (a failed operation stops where it failed and says so; the rollback and
 *   retry paths of one custom resource are modelled by the fault tests, test/faults/cloudformation.ts,
 *   on the same events and responses), stack policies,
 *   change sets, IAM (every call is allowed), and the effects of the recorded resource types.
 */
import { randomUUID } from 'node:crypto';
import type { AssemblyStack, Template } from './assembly';
import { type CustomResourceEvent, customResourceEvent, frameworkResponse, type OnEventResult, stringifyScalars } from './custom-resource';
import { evaluateConditions, resolveValue, type ResolveContext } from './intrinsics';
import { type Invocation, LocalLambda } from './lambda-runtime';
import { creationOrder, dependencyGraph, type TemplateResource } from './order';
import { playedResourceHandler, recordedIdentity, type PlayerServices, type ResourceIdentity } from './resources';

/** Provider framework: the environment variable that names the user's onEvent function. */
const USER_ON_EVENT_FUNCTION_ARN = 'USER_ON_EVENT_FUNCTION_ARN';

/** How the player treats a resource. */
export type ResourceKind = 'played' | 'custom' | 'recorded';

/** A resource of a deployed stack. */
export interface DeployedResource {
  readonly logicalId: string;
  readonly type: string;
  readonly kind: ResourceKind;
  readonly identity: ResourceIdentity;
  /** Resolved properties (custom resources: as CloudFormation sends them, scalars as strings). */
  readonly properties: Record<string, unknown>;
  readonly template: TemplateResource;
}

/** One resource operation of a stack operation. */
export interface ResourceOperation {
  readonly logicalId: string;
  readonly type: string;
  readonly kind: ResourceKind;
  readonly action: 'Create' | 'Update' | 'Delete' | 'Retain';
  readonly ok: boolean;
  /** Why it failed, or what it did when worth saying. */
  readonly reason?: string;
  readonly physicalId?: string;
  /** For custom resources: the invocation of the user's function. */
  readonly invocation?: Invocation;
  /** The custom resource event sent (for custom resources). */
  readonly event?: CustomResourceEvent;
  readonly durationMs: number;
}

/** The outcome of deploying or deleting a stack. */
export interface StackOperation {
  readonly stackName: string;
  readonly status: 'CREATE_COMPLETE' | 'UPDATE_COMPLETE' | 'DELETE_COMPLETE' | 'CREATE_FAILED' | 'UPDATE_FAILED' | 'DELETE_FAILED';
  readonly operations: readonly ResourceOperation[];
}

/** How to reach the local services. */
export interface PlayerOptions {
  readonly services: PlayerServices;
  /** Added to every function's environment: local endpoints, region and fake credentials. */
  readonly functionEnvironment: Readonly<Record<string, string>>;
  /** Values for SSM-typed template parameters (the CDK bootstrap version) by parameter name. @default BootstrapVersion = 30 */
  readonly parameterValues?: Readonly<Record<string, unknown>>;
}

interface StackRecord {
  readonly stackName: string;
  readonly stackId: string;
  assembly: AssemblyStack;
  resources: Map<string, DeployedResource>;
  order: string[];
}

/**
 * Plays CloudFormation stack operations locally.
 */
export class CloudFormationPlayer {
  private readonly stacks = new Map<string, StackRecord>();
  private readonly functions = new Map<string, { key: string; lambda: LocalLambda }>();

  private functionEnvironment: Readonly<Record<string, string>>;

  constructor(private readonly options: PlayerOptions) {
    this.functionEnvironment = options.functionEnvironment;
  }

  /** Create the stack, or update it when it exists. */
  public async deploy(stack: AssemblyStack): Promise<StackOperation> {
    const existing = this.stacks.get(stack.stackName);
    const { partition, region, accountId } = this.options.services;
    const record: StackRecord = existing ?? {
      stackName: stack.stackName,
      stackId: `arn:${partition}:cloudformation:${region}:${accountId}:stack/${stack.stackName}/${randomUUID()}`,
      assembly: stack,
      resources: new Map(),
      order: [],
    };
    const isUpdate = existing !== undefined;
    const previous = new Map(record.resources);
    const previousOrder = record.order;
    record.assembly = stack;
    this.stacks.set(stack.stackName, record);

    const template = stack.template;
    const parameters = this.parameterValues(template);
    const base = this.baseContext(record, parameters, template);
    const conditions = evaluateConditions(template.Conditions, base);
    const ctx: ResolveContext = { ...base, conditions };
    const active = Object.fromEntries(Object.entries(template.Resources)
      .filter(([, r]) => r.Condition === undefined || conditions[r.Condition]));
    const order = creationOrder(dependencyGraph(active, new Set(Object.keys(parameters))));

    const operations: ResourceOperation[] = [];
    const replaced: DeployedResource[] = [];
    const next = new Map<string, DeployedResource>();
    record.resources = next;
    const fail = (): StackOperation => {
      // keep what exists so that a later delete can clean up
      for (const [id, r] of previous) {
        if (!next.has(id)) {
          next.set(id, r);
        }
      }
      record.order = [...new Set([...previousOrder, ...order])];
      return { stackName: stack.stackName, status: isUpdate ? 'UPDATE_FAILED' : 'CREATE_FAILED', operations };
    };

    for (const logicalId of order) {
      const resource = active[logicalId];
      const old = previous.get(logicalId);
      let properties: Record<string, unknown>;
      try {
        properties = (resolveValue(resource.Properties ?? {}, ctx) ?? {}) as Record<string, unknown>;
      } catch (e) {
        operations.push({ logicalId, type: resource.Type, kind: this.kindOf(resource.Type), action: old ? 'Update' : 'Create', ok: false, reason: errorMessage(e), durationMs: 0 });
        return fail();
      }
      if (isCustomType(resource.Type)) {
        properties = stringifyScalars(properties) as Record<string, unknown>;
      }
      if (old && old.type === resource.Type && sameJson(old.properties, properties)) {
        next.set(logicalId, { ...old, template: resource });
        continue;
      }
      const op = old && old.type === resource.Type
        ? await this.updateResource(record, logicalId, resource, properties, old)
        : await this.createResource(record, logicalId, resource, properties);
      operations.push(op.operation);
      if (!op.operation.ok || !op.deployed) {
        return fail();
      }
      next.set(logicalId, op.deployed);
      if (old && old.identity.physicalId !== op.deployed.identity.physicalId) {
        replaced.push(old);
      }
    }

    // cleanup phase: replaced resources, then resources no longer in the template (dependents first)
    const removed = [...previousOrder].reverse().filter((id) => !next.has(id) && previous.has(id)).map((id) => previous.get(id)!);
    for (const gone of [...replaced, ...removed]) {
      const op = await this.deleteResource(record, gone);
      operations.push(op);
      if (!op.ok) {
        record.order = [...new Set([...previousOrder, ...order])];
        if (!next.has(gone.logicalId)) {
          next.set(gone.logicalId, gone);
        }
        return { stackName: stack.stackName, status: 'UPDATE_FAILED', operations };
      }
    }
    record.order = order;
    return { stackName: stack.stackName, status: isUpdate ? 'UPDATE_COMPLETE' : 'CREATE_COMPLETE', operations };
  }

  /** Delete the stack: every resource, dependents first. */
  public async destroy(stackName: string): Promise<StackOperation> {
    const record = this.requireStack(stackName);
    const operations: ResourceOperation[] = [];
    for (const logicalId of [...record.order].reverse()) {
      const resource = record.resources.get(logicalId);
      if (!resource) {
        continue;
      }
      const op = await this.deleteResource(record, resource);
      operations.push(op);
      if (!op.ok) {
        return { stackName, status: 'DELETE_FAILED', operations };
      }
      record.resources.delete(logicalId);
    }
    for (const [key, fn] of this.functions) {
      if (key.startsWith(`${stackName}/`)) {
        await fn.lambda.stop();
        this.functions.delete(key);
      }
    }
    this.stacks.delete(stackName);
    return { stackName, status: 'DELETE_COMPLETE', operations };
  }

  /** The resources of a deployed stack, in creation order. */
  public resources(stackName: string): DeployedResource[] {
    const record = this.requireStack(stackName);
    return record.order.map((id) => record.resources.get(id)).filter((r): r is DeployedResource => r !== undefined);
  }

  /** The stack id CloudFormation gave the stack. */
  public stackId(stackName: string): string {
    return this.requireStack(stackName).stackId;
  }

  /** Invoke a deployed function (for example the reconciler, as its schedule would). */
  public async invoke(stackName: string, functionLogicalId: string, event: unknown): Promise<Invocation> {
    const record = this.requireStack(stackName);
    const fn = record.resources.get(functionLogicalId);
    if (!fn || fn.type !== 'AWS::Lambda::Function') {
      throw new Error(`stack ${stackName} has no deployed AWS::Lambda::Function ${functionLogicalId}`);
    }
    return this.localFunction(record, fn).invoke(event);
  }

  /**
   * Replace the environment added to every function (for example a different rate limit). Running
   * functions are stopped: the next invocation starts a fresh execution environment with it.
   */
  public async setFunctionEnvironment(environment: Readonly<Record<string, string>>): Promise<void> {
    this.functionEnvironment = environment;
    await this.stop();
  }

  /** Stop every local function. */
  public async stop(): Promise<void> {
    await Promise.all([...this.functions.values()].map((f) => f.lambda.stop()));
    this.functions.clear();
  }

  private async createResource(record: StackRecord, logicalId: string, resource: TemplateResource, properties: Record<string, unknown>) {
    return this.run(record, logicalId, resource, 'Create', properties, undefined);
  }

  private async updateResource(
    record: StackRecord, logicalId: string, resource: TemplateResource, properties: Record<string, unknown>, old: DeployedResource,
  ) {
    return this.run(record, logicalId, resource, 'Update', properties, old);
  }

  private async run(
    record: StackRecord, logicalId: string, resource: TemplateResource, action: 'Create' | 'Update',
    properties: Record<string, unknown>, old: DeployedResource | undefined,
  ): Promise<{ operation: ResourceOperation; deployed?: DeployedResource }> {
    const started = performance.now();
    const kind = this.kindOf(resource.Type);
    const base = { logicalId, type: resource.Type, kind, action };
    try {
      let identity: ResourceIdentity;
      let invocation: Invocation | undefined;
      let event: CustomResourceEvent | undefined;
      if (kind === 'custom') {
        event = this.customEvent(record, logicalId, resource.Type, action, properties, old);
        const outcome = await this.sendCustom(record, event);
        invocation = outcome.invocation;
        if (!outcome.identity) {
          return { operation: { ...base, ok: false, reason: outcome.reason, invocation, event, durationMs: performance.now() - started } };
        }
        identity = outcome.identity;
      } else if (kind === 'played') {
        const handler = playedResourceHandler(resource.Type, this.options.services)!;
        const name = generatedName(record.stackName, logicalId);
        identity = old
          ? await handler.update(old.identity, properties, old.properties, name)
          : await handler.create(properties, name);
      } else {
        const declaredName = physicalNameOf(resource.Type, properties);
        const keepName = old && (declaredName === undefined || declaredName === old.identity.physicalId);
        identity = keepName
          ? old.identity
          : recordedIdentity(resource.Type, declaredName ?? generatedName(record.stackName, logicalId), this.options.services);
        if (old && resource.Type === 'AWS::Lambda::Function') {
          await this.dropFunction(record, logicalId); // new code or environment: the next invocation starts cold
        }
      }
      const deployed: DeployedResource = { logicalId, type: resource.Type, kind, identity, properties, template: resource };
      return {
        operation: { ...base, ok: true, physicalId: identity.physicalId, invocation, event, durationMs: performance.now() - started },
        deployed,
      };
    } catch (e) {
      return { operation: { ...base, ok: false, reason: errorMessage(e), durationMs: performance.now() - started } };
    }
  }

  private async deleteResource(record: StackRecord, resource: DeployedResource): Promise<ResourceOperation> {
    const started = performance.now();
    const base = { logicalId: resource.logicalId, type: resource.type, kind: resource.kind, physicalId: resource.identity.physicalId };
    if (resource.template.DeletionPolicy === 'Retain' || resource.template.DeletionPolicy === 'RetainExceptOnCreate') {
      return { ...base, action: 'Retain', ok: true, reason: 'DeletionPolicy Retain: left in place', durationMs: 0 };
    }
    try {
      if (resource.kind === 'custom') {
        const event = this.customEvent(record, resource.logicalId, resource.type, 'Delete', resource.properties, resource);
        const outcome = await this.sendCustom(record, event);
        return {
          ...base,
          action: 'Delete',
          ok: outcome.identity !== undefined,
          reason: outcome.reason,
          invocation: outcome.invocation,
          event,
          durationMs: performance.now() - started,
        };
      }
      if (resource.kind === 'played') {
        await playedResourceHandler(resource.type, this.options.services)!.delete(resource.identity, resource.properties);
      } else if (resource.type === 'AWS::Lambda::Function') {
        await this.dropFunction(record, resource.logicalId);
      }
      return { ...base, action: 'Delete', ok: true, durationMs: performance.now() - started };
    } catch (e) {
      return { ...base, action: 'Delete', ok: false, reason: errorMessage(e), durationMs: performance.now() - started };
    }
  }

  private customEvent(
    record: StackRecord, logicalId: string, type: string, requestType: CustomResourceEvent['RequestType'],
    properties: Record<string, unknown>, old: DeployedResource | undefined,
  ): CustomResourceEvent {
    return customResourceEvent({
      requestType,
      serviceToken: String(properties.ServiceToken),
      responseUrl: 'https://cloudformation-custom-resource-response-local.invalid/not-used-by-the-provider-framework',
      stackId: record.stackId,
      requestId: randomUUID(),
      logicalId,
      resourceType: type,
      properties,
      oldProperties: requestType === 'Update' ? old!.properties : undefined,
      physicalResourceId: requestType !== 'Create' ? old!.identity.physicalId : undefined,
    });
  }

  /** Send a custom resource event the way the Provider framework would. */
  private async sendCustom(
    record: StackRecord, event: CustomResourceEvent,
  ): Promise<{ identity?: ResourceIdentity; invocation?: Invocation; reason?: string }> {
    const framework = this.functionByArn(record, event.ServiceToken);
    if (!framework) {
      return { reason: `ServiceToken ${event.ServiceToken} is not a function of stack ${record.stackName}` };
    }
    const env = ((framework.properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables) ?? {};
    const userArn = env[USER_ON_EVENT_FUNCTION_ARN];
    if (!userArn) {
      return { reason: `ServiceToken function ${framework.logicalId} is not a CDK Provider framework (no ${USER_ON_EVENT_FUNCTION_ARN}); the player only plays custom resources served through the Provider framework` };
    }
    const userFn = this.functionByArn(record, userArn);
    if (!userFn) {
      return { reason: `the Provider framework's onEvent function ${userArn} is not in stack ${record.stackName}` };
    }
    const invocation = await this.localFunction(record, userFn).invoke(event);
    const response = frameworkResponse(event, invocation.ok
      ? { result: invocation.result as OnEventResult | undefined }
      : { error: invocation.error!.errorMessage });
    if (response.status === 'FAILED') {
      return { invocation, reason: response.reason };
    }
    return { invocation, identity: { physicalId: response.physicalResourceId, attributes: (response.data ?? {}) as Record<string, unknown> } };
  }

  private functionByArn(record: StackRecord, arn: string): DeployedResource | undefined {
    for (const r of record.resources.values()) {
      if (r.type === 'AWS::Lambda::Function' && r.identity.attributes.Arn === arn) {
        return r;
      }
    }
    return undefined;
  }

  private localFunction(record: StackRecord, fn: DeployedResource): LocalLambda {
    const key = `${record.stackName}/${fn.logicalId}`;
    const specKey = JSON.stringify(fn.properties);
    const cached = this.functions.get(key);
    if (cached && cached.key === specKey) {
      return cached.lambda;
    }
    if (cached) {
      void cached.lambda.stop();
    }
    const props = fn.properties;
    const code = (props.Code ?? {}) as { S3Key?: string; ZipFile?: string };
    const codeDir = code.S3Key ? record.assembly.assetDirsByObjectKey.get(code.S3Key) : undefined;
    if (!codeDir) {
      throw new Error(`function ${fn.logicalId}: its code (${JSON.stringify(code).slice(0, 120)}) is not a file asset of the assembly, so it cannot run locally`);
    }
    const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables) ?? {};
    const lambda = new LocalLambda({
      functionName: fn.identity.physicalId,
      functionArn: String(fn.identity.attributes.Arn),
      codeDir,
      handler: String(props.Handler ?? 'index.handler'),
      environment: {
        ...Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
        ...this.functionEnvironment,
      },
      timeoutSeconds: props.Timeout === undefined ? undefined : Number(props.Timeout),
      memoryMb: props.MemorySize === undefined ? undefined : Number(props.MemorySize),
    });
    this.functions.set(key, { key: specKey, lambda });
    return lambda;
  }

  private async dropFunction(record: StackRecord, logicalId: string): Promise<void> {
    const key = `${record.stackName}/${logicalId}`;
    const cached = this.functions.get(key);
    this.functions.delete(key);
    await cached?.lambda.stop();
  }

  private kindOf(type: string): ResourceKind {
    if (isCustomType(type)) {
      return 'custom';
    }
    return playedResourceHandler(type, this.options.services) ? 'played' : 'recorded';
  }

  private parameterValues(template: Template): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
      const override = this.options.parameterValues?.[name];
      if (override !== undefined) {
        values[name] = override;
      } else if (parameter.Type.startsWith('AWS::SSM::Parameter::Value')) {
        values[name] = name === 'BootstrapVersion' ? '30' : parameter.Default;
      } else {
        values[name] = parameter.Default;
      }
      if (values[name] === undefined) {
        throw new Error(`template parameter ${name} has no default: pass it in parameterValues`);
      }
    }
    return values;
  }

  private baseContext(record: StackRecord, parameters: Record<string, unknown>, template: Template): Omit<ResolveContext, 'conditions'> {
    const { partition, region, accountId } = this.options.services;
    const lookup = (logicalId: string): DeployedResource => {
      const r = record.resources.get(logicalId);
      if (!r) {
        throw new Error(`${logicalId} is referenced before it exists (not created yet, or not in the template)`);
      }
      return r;
    };
    return {
      pseudo: {
        'AWS::Region': region,
        'AWS::AccountId': accountId,
        'AWS::Partition': partition,
        'AWS::URLSuffix': 'amazonaws.com',
        'AWS::StackName': record.stackName,
        'AWS::StackId': record.stackId,
        'AWS::NotificationARNs': '',
      },
      parameters,
      mappings: template.Mappings,
      ref: (logicalId) => {
        const r = lookup(logicalId);
        return r.identity.ref ?? r.identity.physicalId;
      },
      getAtt: (logicalId, attribute) => {
        const r = lookup(logicalId);
        const value = r.identity.attributes[attribute];
        if (value === undefined) {
          throw new Error(`Fn::GetAtt ${logicalId}.${attribute}: ${r.type} ${logicalId} has no attribute ${attribute} (it has: ${Object.keys(r.identity.attributes).join(', ') || 'none'})`);
        }
        return value;
      },
    };
  }

  private requireStack(stackName: string): StackRecord {
    const record = this.stacks.get(stackName);
    if (!record) {
      throw new Error(`stack ${stackName} is not deployed (deployed: ${[...this.stacks.keys()].join(', ') || 'none'})`);
    }
    return record;
  }
}

function isCustomType(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/** A name like CloudFormation generates: `<stack>-<logicalId>-<random>`, at most 64 characters. */
function generatedName(stackName: string, logicalId: string): string {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase();
  return `${stackName.slice(0, 20)}-${logicalId.slice(0, 30)}-${suffix}`;
}

function physicalNameOf(type: string, properties: Record<string, unknown>): string | undefined {
  const key = ({
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::IAM::Role': 'RoleName',
    'AWS::Logs::LogGroup': 'LogGroupName',
    'AWS::SQS::Queue': 'QueueName',
    'AWS::SNS::Topic': 'TopicName',
    'AWS::Events::Rule': 'Name',
    'AWS::Scheduler::Schedule': 'Name',
    'AWS::CloudWatch::Alarm': 'AlarmName',
  } as Record<string, string>)[type];
  const value = key ? properties[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(sortKeys);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    return `${e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`;
  }
  return String(e);
}
