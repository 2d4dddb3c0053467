/**
 * A model of how CloudFormation, the CDK Provider framework and Lambda deliver custom-resource events
 * to our handler, including every retry and rollback path a real deployment can take. Each event and
 * the response made of the handler's answer are the local player's (local/cloudformation/custom-resource.ts:
 * the framework's physical-id defaults, its CREATE_FAILED marker, the Delete that may not change the id,
 * CloudFormation's 4 KB response cap, scalars sent as strings); this file adds what the player does not
 * play: delivery chaos and the rollback paths.
 *
 * What is modelled here, and where it comes from:
 * - Provider framework (aws-cdk-lib `custom-resources/lib/provider-framework/runtime`, read from the
 *   installed 2.276.0): the Delete CloudFormation sends for the CREATE_FAILED marker is answered SUCCESS
 *   without calling the handler. The framework's `lambda.invoke` retries once on any error, so the user
 *   function can run twice for one event.
 * - Lambda: CloudFormation invokes the framework asynchronously; when the framework dies before its
 *   response reaches CloudFormation, Lambda re-delivers the same event (up to 2 retries). The user
 *   function can also be killed mid-way (timeout): nothing after that point reaches Connect, and the
 *   framework reports FAILED.
 * - CloudFormation (aws/aws-cdk docs/CLOUDFORMATION.md and the custom-resource request docs): a failed
 *   Create is rolled back with a Delete; a failed Update is followed by a rollback Update with
 *   `ResourceProperties=OLD`, `OldResourceProperties=NEW`; an Update that returns a new physical id is a
 *   replacement: the old id is deleted in the cleanup phase, or, when the stack rolls back, the old
 *   resource is kept and the new id is deleted ("if the stack update fails and a rollback occurs, the
 *   new physical resource id is sent in the Delete event"); cleanup-phase failures do not fail the stack
 *   (the resource is then left behind by CloudFormation, not by us: recorded as a cleanup leak); a
 *   failed rollback leaves the stack in UPDATE_ROLLBACK_FAILED / ROLLBACK_FAILED / DELETE_FAILED, from
 *   which the operator continues (ContinueUpdateRollback, delete-stack), which sends the event again.
 */
import {
  answeredByFramework,
  CREATE_FAILED_MARKER,
  type CustomResourceEvent,
  customResourceEvent,
  type EventOutcome,
  frameworkResponse,
  type OnEventResult,
  stringifyScalars,
} from '../../local/cloudformation/custom-resource';
import { SERVICE_TOKEN } from '../../local/cloudformation/events';

/** How one run of the user function is disturbed. */
export interface InvocationChaos {
  /**
   * When set, the Lambda is killed (timeout) while it waits for the response of this request (1-based):
   * that request reaches Connect, its response is never processed, later requests never leave.
   */
  readonly killAfterRequests?: number;
}

/** Runs the handler once with one event. Throws to fail (as the user function does). */
export type HandlerInvoker = (event: CustomResourceEvent, chaos: InvocationChaos) => Promise<OnEventResult | undefined>;

/** Properties as the construct renders them (before CloudFormation stringifies scalars). */
export type Properties = Record<string, unknown>;

/** The probabilities of delivery chaos, drawn from the sequence's own seeded PRNG. */
export interface DeliveryChaos {
  /** A response that never reaches CloudFormation, so the same event is delivered again. */
  readonly redeliver: number;
  /** The user function is killed part-way (Lambda timeout). */
  readonly kill: number;
}

/** Counters for the report. */
export interface DeliveryCounters {
  events: number;
  invocations: number;
  redeliveries: number;
  kills: number;
  failedResponses: number;
  rollbacks: number;
  operatorRetries: number;
}

/** The resource as CloudFormation last recorded it. */
export interface DeployedResource {
  readonly physicalResourceId: string;
  readonly properties: Properties;
  readonly data?: object;
}

/** A physical id CloudFormation deleted in a cleanup phase that failed, leaving the profile behind. */
export interface CleanupLeak {
  readonly physicalResourceId: string;
  readonly properties: Properties;
  readonly reason: string;
}

/** A small seeded PRNG (Park-Miller), so a sequence's chaos is replayed exactly when fast-check shrinks. */
export function seededRandom(seed: number): () => number {
  let state = (Math.abs(Math.floor(seed)) % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** Options of a simulated stack. */
export interface SimulatedStackOptions {
  readonly invoke: HandlerInvoker;
  readonly random: () => number;
  readonly chaos: DeliveryChaos;
  readonly counters: DeliveryCounters;
  readonly stackName: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** How many times the operator continues a failed rollback or retries delete-stack. */
  readonly operatorRetries?: number;
  /**
   * How a stack rolls back an Update that replaced the resource (answered a new physical id) before
   * another resource failed. `delete-new` (default): CloudFormation goes back to the old resource, which
   * a replacement never touched, and deletes the new one. `update-new`: it first sends the rollback
   * Update (old properties) to the new id, then deletes whichever id the rollback did not keep. Which one
   * CloudFormation does is not documented; `update-new` is the harder case for the handler.
   */
  readonly replacementRollback?: 'delete-new' | 'update-new';
  /**
   * What the operator does before retrying a failed delete-stack or rollback (for example, move the
   * users off a profile Connect refuses to delete because it is in use). Default: nothing.
   */
  readonly operator?: (reason: string) => Promise<void>;
}

/** Thrown when a stack stays stuck after every operator retry (itself a finding). */
export class StackStuckError extends Error {}

/**
 * One CloudFormation stack holding one custom resource, driven through the lifecycle.
 */
export class SimulatedStack {
  /** The resource as CloudFormation records it; undefined when the stack does not exist. */
  public deployed?: DeployedResource;
  /** Physical ids left behind by failed cleanup-phase deletes (CloudFormation ignores those failures). */
  public readonly cleanupLeaks: CleanupLeak[] = [];
  /** A readable trail of events and outcomes, printed when a property fails. */
  public readonly trail: string[] = [];

  /**
   * Every Create or Update CloudFormation recorded as FAILED, with the StackId it ran under and the
   * properties it asked for: a profile such an event made before failing is unknown to CloudFormation.
   */
  public readonly failedWrites: Array<{ readonly stackId: string; readonly requestType: string; readonly properties: Properties }> = [];
  /**
   * True when the last operation ended with a successful Create or Update event on the resource's
   * current id: the handler then brought the live profile to the template (out-of-band changes undone).
   */
  public reconciled = false;
  /** Every Delete that succeeded (the handler removed the profile, or kept it under `RemovalPolicy: Retain`), in order. */
  public readonly deleted: Array<DeployedResource & { readonly seq: number }> = [];
  /** Profiles someone deleted outside CloudFormation (filled in by the test that deletes them). */
  public readonly deletedOutOfBand = new Set<string>();
  /** Every physical id a successful Create or Update answered, in order (`seq` orders it with `deleted`). */
  public readonly answered: Array<{ readonly seq: number; readonly physicalResourceId: string }> = [];

  /** The stack ARN. A stack created anew (after a delete or a failed create) gets a new one, as in CloudFormation. */
  public stackId: string;
  private stackGeneration = 0;
  private requestCounter = 0;

  constructor(private readonly options: SimulatedStackOptions) {
    this.stackId = this.newStackId();
  }

  private newStackId(): string {
    const suffix = (++this.stackGeneration).toString(16).padStart(12, '0');
    return `arn:aws:cloudformation:us-east-1:123456789012:stack/${this.options.stackName}/5e7c0000-0000-4000-8000-${suffix}`;
  }

  /**
   * Create the resource. `siblingFails`: another resource of the stack fails after ours, so CloudFormation
   * rolls back. By default this is the stack's creation: a stack created anew after a delete or a failed
   * create gets a new StackId. `inExistingStack` adds the resource to a stack that stays (same StackId).
   */
  async create(properties: Properties, siblingFails = false, inExistingStack = false): Promise<'created' | 'rolled-back'> {
    if (this.deployed) throw new Error('create: the stack already exists');
    if (this.requestCounter > 0 && !inExistingStack) this.stackId = this.newStackId();
    const out = await this.deliver({ RequestType: 'Create', properties });
    if (out.status === 'SUCCESS' && !siblingFails) {
      this.deployed = { physicalResourceId: out.physicalResourceId, properties, data: out.data };
      this.reconciled = true;
      return 'created';
    }
    // ROLLBACK_IN_PROGRESS: delete what was created (the framework ignores its own marker).
    this.options.counters.rollbacks++;
    await this.deleteUntilDone(out.physicalResourceId, properties, 'rollback of create');
    return 'rolled-back';
  }

  /** Update the stack to new properties. CloudFormation sends nothing when the properties are unchanged. */
  async update(properties: Properties, siblingFails = false): Promise<'updated' | 'rolled-back' | 'unchanged'> {
    const before = this.deployed;
    if (!before) throw new Error('update: the stack does not exist');
    if (JSON.stringify(stringifyScalars(before.properties)) === JSON.stringify(stringifyScalars(properties))) return 'unchanged';
    const forward = await this.deliver({
      RequestType: 'Update', properties, oldProperties: before.properties, physicalResourceId: before.physicalResourceId,
    });
    if (forward.status === 'SUCCESS' && !siblingFails) {
      this.deployed = { physicalResourceId: forward.physicalResourceId, properties, data: forward.data };
      this.reconciled = true;
      if (forward.physicalResourceId !== before.physicalResourceId) {
        await this.cleanupDelete(before.physicalResourceId, before.properties, 'cleanup after replacement');
      }
      return 'updated';
    }
    this.options.counters.rollbacks++;
    const replacedForward = forward.status === 'SUCCESS' && forward.physicalResourceId !== before.physicalResourceId;
    if (replacedForward && (this.options.replacementRollback ?? 'delete-new') === 'delete-new') {
      // Rollback of a replacement: CloudFormation goes back to the old resource (a replacement never
      // touched it) and deletes the new one in UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS.
      this.trail.push('  rollback of a replacement: CloudFormation keeps the old resource and deletes the new one');
      this.deployed = before;
      this.reconciled = false;
      await this.cleanupDelete(forward.physicalResourceId, properties, 'cleanup after rollback');
      return 'rolled-back';
    }
    // UPDATE_ROLLBACK_IN_PROGRESS: a second Update back to the old properties, to the resource's id.
    const target = replacedForward ? forward.physicalResourceId : before.physicalResourceId;
    let rollback: EventOutcome | undefined;
    for (let attempt = 0; attempt <= this.operatorRetries; attempt++) {
      if (attempt > 0) this.options.counters.operatorRetries++;
      rollback = await this.deliver({
        RequestType: 'Update', properties: before.properties, oldProperties: properties, physicalResourceId: target,
      });
      if (rollback.status === 'SUCCESS') break;
      this.trail.push('  UPDATE_ROLLBACK_FAILED: the operator runs continue-update-rollback');
      await this.options.operator?.(rollback.reason ?? '');
    }
    if (!rollback || rollback.status !== 'SUCCESS') {
      throw new StackStuckError(`the rollback update never succeeded after ${this.operatorRetries + 1} attempts: ${rollback?.reason}`);
    }
    this.deployed = { physicalResourceId: rollback.physicalResourceId, properties: before.properties, data: rollback.data };
    this.reconciled = true;
    // a rollback Update that answered another id replaced it: the id it left is cleaned up
    if (target !== rollback.physicalResourceId) {
      await this.cleanupDelete(target, replacedForward ? properties : before.properties, 'cleanup after rollback');
    }
    return 'rolled-back';
  }

  /** Delete the stack (and with it the resource). */
  async delete(): Promise<void> {
    const before = this.deployed;
    if (!before) throw new Error('delete: the stack does not exist');
    await this.deleteUntilDone(before.physicalResourceId, before.properties, 'delete-stack');
    this.deployed = undefined;
  }

  private get operatorRetries(): number {
    return this.options.operatorRetries ?? 6;
  }

  /** A Delete that must succeed: on failure the operator retries (delete-stack again). */
  private async deleteUntilDone(physicalResourceId: string, properties: Properties, why: string): Promise<void> {
    let out: EventOutcome | undefined;
    for (let attempt = 0; attempt <= this.operatorRetries; attempt++) {
      if (attempt > 0) this.options.counters.operatorRetries++;
      out = await this.deliver({ RequestType: 'Delete', properties, physicalResourceId });
      if (out.status === 'SUCCESS') {
        if (physicalResourceId !== CREATE_FAILED_MARKER) this.deleted.push({ physicalResourceId, properties, seq: this.requestCounter });
        return;
      }
      this.trail.push(`  DELETE_FAILED (${why}): the operator deletes the stack again`);
      await this.options.operator?.(out.reason ?? '');
    }
    throw new StackStuckError(`${why}: the delete never succeeded after ${this.operatorRetries + 1} attempts: ${out?.reason}`);
  }

  /** A cleanup-phase Delete: CloudFormation does not fail the stack when it fails. */
  private async cleanupDelete(physicalResourceId: string, properties: Properties, why: string): Promise<void> {
    const out = await this.deliver({ RequestType: 'Delete', properties, physicalResourceId });
    if (out.status === 'SUCCESS') {
      this.deleted.push({ physicalResourceId, properties, seq: this.requestCounter });
    } else {
      this.cleanupLeaks.push({ physicalResourceId, properties, reason: `${why}: ${out.reason}` });
      this.trail.push(`  ${why} failed; CloudFormation ignores it and leaves ${physicalResourceId}`);
    }
  }

  /**
   * Deliver one event the way CloudFormation, Lambda and the Provider framework do, and return the
   * response CloudFormation finally records.
   */
  private async deliver(request: {
    RequestType: 'Create' | 'Update' | 'Delete';
    properties: Properties;
    oldProperties?: Properties;
    physicalResourceId?: string;
  }): Promise<EventOutcome> {
    const { counters, chaos, random } = this.options;
    counters.events++;
    const requestId = `req-${++this.requestCounter}-${Math.floor(random() * 1e9).toString(16)}`;
    const event = customResourceEvent({
      requestType: request.RequestType,
      serviceToken: SERVICE_TOKEN,
      responseUrl: `https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/${encodeURIComponent(this.stackId)}%7C${this.options.logicalId}%7C${requestId}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAFAKEFAKEFAKEFAKE%2F20261125%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=${'ab'.repeat(32)}`,
      stackId: this.stackId,
      requestId,
      logicalId: this.options.logicalId,
      resourceType: this.options.resourceType,
      properties: stringifyScalars(request.properties) as Properties,
      oldProperties: request.oldProperties === undefined ? undefined : stringifyScalars(request.oldProperties) as Properties,
      physicalResourceId: request.physicalResourceId,
    });
    const label = `${request.RequestType}${request.physicalResourceId ? ` ${request.physicalResourceId}` : ''} ${JSON.stringify(request.properties)}`;

    // safeHandler: the Delete that follows a failed Create is answered without calling the handler.
    if (answeredByFramework(event)) {
      this.trail.push(`${label} -> SUCCESS (framework ignores the marker)`);
      return { status: 'SUCCESS', physicalResourceId: CREATE_FAILED_MARKER };
    }

    const maxDeliveries = 3; // the first async invocation and Lambda's 2 retries
    let outcome: EventOutcome | undefined;
    for (let delivery = 1; delivery <= maxDeliveries; delivery++) {
      const kill = random() < chaos.kill ? 1 + Math.floor(random() * 10) : undefined;
      if (kill !== undefined) counters.kills++;
      counters.invocations++;
      try {
        const result = await this.options.invoke(JSON.parse(JSON.stringify(event)), { killAfterRequests: kill });
        outcome = frameworkResponse(event, { result });
      } catch (e) {
        outcome = frameworkResponse(event, { error: e instanceof Error ? e.message : String(e) });
      }
      if (delivery < maxDeliveries && random() < chaos.redeliver) {
        counters.redeliveries++;
        this.trail.push(`${label} -> ${outcome.status} ${outcome.physicalResourceId}${kill ? ` (killed after ${kill} requests)` : ''}; response lost, Lambda re-delivers`);
        continue;
      }
      this.trail.push(`${label} -> ${outcome.status} ${outcome.physicalResourceId}${kill ? ` (killed after ${kill} requests)` : ''}${outcome.reason ? `: ${outcome.reason}` : ''}`);
      break;
    }
    if (outcome!.status === 'SUCCESS' && event.RequestType !== 'Delete') {
      this.answered.push({ seq: this.requestCounter, physicalResourceId: outcome!.physicalResourceId });
    }
    if (outcome!.status === 'FAILED') {
      counters.failedResponses++;
      if (event.RequestType !== 'Delete') this.failedWrites.push({ stackId: this.stackId, requestType: event.RequestType, properties: request.properties });
    }
    return outcome!;
  }
}
