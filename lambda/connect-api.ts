/**
 * The gateway to Amazon Connect: the only module that knows `@aws-sdk/client-connect`.
 *
 * Every attempt of every call first takes a token from its operation's client-side bucket
 * (lambda/rate-limiter.ts). Throttling, server errors and dropped connections are retried with
 * decorrelated jitter (each wait drawn between the base and three times the previous wait, capped at
 * `CONNECT_RETRY_MAX_DELAY_MS`); `LimitExceededException` (also HTTP 429, but a quota) and every other
 * error fail at once. Connect's quotas are per account and Region and shared with every other process
 * and tool, so a throttle says "wait", not "fail": throttled calls retry until the invocation's
 * deadline (`InvocationDeadline`, the Lambda's remaining time minus a margin), with no attempt count.
 * Server errors and dropped connections also stop after `maxErrorAttempts`. Failures surface as
 * `ConnectApiError` with a classification.
 *
 * The retry loop lives here, not in the SDK, so each attempt takes a token from the bucket: build the
 * client with `maxAttempts: 1` (`createConnectClient` does), or the SDK retries underneath as well.
 */
import {
  AIAgent,
  Application,
  AssociateSecurityProfilesCommand,
  ConnectClient,
  ConnectClientConfig,
  CreateSecurityProfileCommand,
  CreateSecurityProfileCommandInput,
  DeleteSecurityProfileCommand,
  DescribeInstanceCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DisassociateSecurityProfilesCommand,
  HierarchyGroup,
  Instance,
  FlowModule,
  ListEntitySecurityProfilesCommand,
  ListSecurityProfileAIAgentsCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfileFlowModulesCommand,
  ListSecurityProfilePermissionsCommand,
  ListSecurityProfilesCommand,
  SearchUserHierarchyGroupsCommand,
  SearchUsersCommand,
  SearchUsersCommandInput,
  SearchUsersCommandOutput,
  SecurityProfile,
  SecurityProfileSummary,
  TagResourceCommand,
  UntagResourceCommand,
  UserHierarchyGroupSearchCriteria,
  UpdateSecurityProfileCommand,
  UpdateSecurityProfileCommandInput,
  UpdateUserSecurityProfilesCommand,
  User,
} from '@aws-sdk/client-connect';
import { ConnectApiError, classifyError, isRetryable } from './errors';
import { RateLimiter, numberFromEnv, processRateLimiter } from './rate-limiter';
import { CONNECT_OPERATIONS } from '../src/private/connect-operations';
import { ENV } from '../src/private/contract';

/** The longest single wait between two attempts when `CONNECT_RETRY_MAX_DELAY_MS` is not set. */
export const DEFAULT_RETRY_MAX_DELAY_MS = 5_000;

/**
 * How long a call may keep retrying when no deadline is given: the handler Lambda's timeout. The
 * entrypoints always give the invocation's own deadline.
 */
export const DEFAULT_RETRY_WINDOW_MS = 10 * 60 * 1000;

/**
 * The moment an invocation must stop waiting: from the Lambda context's remaining time, minus a margin
 * kept to answer (CloudFormation's response, the reconciler's cursor).
 */
export class InvocationDeadline {
  /** The margin kept before the Lambda timeout when none is given. */
  public static readonly DEFAULT_MARGIN_MS = 10_000;

  /**
   * The deadline of the running invocation.
   *
   * @param context the Lambda context (`getRemainingTimeInMillis`)
   * @param marginMs time kept free before the timeout
   * @param now the clock
   */
  public static fromContext(
    context: { getRemainingTimeInMillis(): number }, marginMs = InvocationDeadline.DEFAULT_MARGIN_MS, now: () => number = Date.now,
  ): InvocationDeadline {
    return new InvocationDeadline(now() + context.getRemainingTimeInMillis() - marginMs, now);
  }

  /** A deadline `ms` from now. */
  public static after(ms: number, now: () => number = Date.now): InvocationDeadline {
    return new InvocationDeadline(now() + ms, now);
  }

  private constructor(
    /** The deadline, in the clock's milliseconds. */
    public readonly at: number,
    private readonly now: () => number,
  ) {}

  /** Milliseconds left (negative once passed). */
  public remainingMs(): number {
    return this.at - this.now();
  }
}

/** Retry settings. */
export interface RetryOptions {
  /**
   * Attempts per call for any retryable error, the first included (tests).
   *
   * @default no count: throttled calls retry until the deadline
   */
  readonly maxAttempts?: number;
  /**
   * Attempts per call after server errors and dropped connections, the first included (a throttle
   * resets nothing and is not counted here).
   *
   * @default CONNECT_MAX_ATTEMPTS, else 8
   */
  readonly maxErrorAttempts?: number;
  /**
   * The shortest wait after a throttled attempt; the jitter draws each wait between this and three
   * times the previous one.
   *
   * @default 500
   */
  readonly throttleBaseDelayMs?: number;
  /**
   * The shortest wait after a server error or a dropped connection.
   *
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * The longest single wait.
   *
   * @default CONNECT_RETRY_MAX_DELAY_MS, else 5000
   */
  readonly maxDelayMs?: number;
}

/** Options of `ConnectApi`. */
export interface ConnectApiOptions {
  /**
   * The rate limiter every attempt goes through.
   *
   * @default the process-wide buckets, one per operation (`processRateLimiter()`)
   */
  readonly rateLimiter?: RateLimiter;
  /** Retry settings. */
  readonly retry?: RetryOptions;
  /**
   * When retries must stop: a call that is still failing then throws its last error.
   *
   * @default `DEFAULT_RETRY_WINDOW_MS` after each call's first attempt
   */
  readonly deadline?: InvocationDeadline;
  /**
   * Page size of the List calls.
   *
   * @default 1000 (100 for flow modules and AI agents)
   */
  readonly pageSize?: number;
  /** How to wait between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock of the default deadline, in milliseconds. @default Date.now */
  readonly now?: () => number;
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
  /** Called before each retry (for logs). */
  readonly onRetry?: (info: { operation: string; attempt: number; delayMs: number; error: unknown }) => void;
  /**
   * Called right before every attempt of a write (create, update, tag, untag, delete, a user's or an AI agent's profiles); what it throws
   * stops the call unsent. Writers fence their writes with their lease this way.
   *
   * @default no guard
   */
  readonly writeGuard?: () => void | Promise<void>;
}

/**
 * A Connect client with the SDK's own retries turned off (`ConnectApi` retries), region, endpoint and
 * credentials from the standard settings (`AWS_REGION`, `AWS_ENDPOINT_URL_CONNECT`, ...).
 */
export function createConnectClient(config: Partial<ConnectClientConfig> = {}): ConnectClient {
  return new ConnectClient({ maxAttempts: 1, ...config });
}

/**
 * The narrow Connect API the handler and the reconciler use.
 */
export class ConnectApi {
  private readonly limiter: RateLimiter;
  private readonly maxAttempts: number;
  private readonly maxErrorAttempts: number;
  private readonly throttleBaseDelayMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly pageSize: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly onRetry?: ConnectApiOptions['onRetry'];

  /**
   * @param client the SDK client (build it with `createConnectClient`, or with `maxAttempts: 1`)
   * @param options rate limiter, retry settings and deadline
   */
  constructor(private readonly client: ConnectClient, private readonly options: ConnectApiOptions = {}) {
    this.limiter = options.rateLimiter ?? processRateLimiter();
    this.maxAttempts = options.retry?.maxAttempts === undefined ? Infinity : Math.max(1, Math.floor(options.retry.maxAttempts));
    this.maxErrorAttempts = Math.max(1, Math.floor(options.retry?.maxErrorAttempts ?? numberFromEnv(process.env, ENV.maxAttempts, 8)));
    this.throttleBaseDelayMs = options.retry?.throttleBaseDelayMs ?? 500;
    this.baseDelayMs = options.retry?.baseDelayMs ?? 100;
    this.maxDelayMs = options.retry?.maxDelayMs ?? numberFromEnv(process.env, ENV.retryMaxDelayMs, DEFAULT_RETRY_MAX_DELAY_MS);
    this.pageSize = options.pageSize ?? 1000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
  }

  /**
   * The same gateway (client, buckets, settings) bounded by another deadline: one per invocation, as
   * the client and the buckets outlive invocations.
   */
  public withDeadline(deadline: InvocationDeadline): ConnectApi {
    return new ConnectApi(this.client, { ...this.options, rateLimiter: this.limiter, deadline });
  }

  /**
   * The same gateway with one more guard before every write attempt (after the guards it already has).
   */
  public withWriteGuard(guard: () => void | Promise<void>): ConnectApi {
    const previous = this.options.writeGuard;
    const writeGuard = previous ? async () => { await previous(); await guard(); } : guard;
    return new ConnectApi(this.client, { ...this.options, rateLimiter: this.limiter, writeGuard });
  }

  /** CreateSecurityProfile. */
  public async createSecurityProfile(input: CreateSecurityProfileCommandInput): Promise<{ securityProfileId: string; securityProfileArn: string }> {
    const out = await this.call('CreateSecurityProfile', () => this.client.send(grantedOnly(new CreateSecurityProfileCommand(input))), true);
    return { securityProfileId: out.SecurityProfileId ?? '', securityProfileArn: out.SecurityProfileArn ?? '' };
  }

  /** DescribeSecurityProfile (throws `ConnectApiError` of kind `not-found` when absent). */
  public async describeSecurityProfile(instanceId: string, securityProfileId: string): Promise<SecurityProfile> {
    const out = await this.call('DescribeSecurityProfile', () => this.client.send(
      grantedOnly(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: securityProfileId }))));
    return out.SecurityProfile ?? {};
  }

  /** DescribeInstance (throws `ConnectApiError` of kind `not-found` when the instance is gone). */
  public async describeInstance(instanceId: string): Promise<Instance> {
    const out = await this.call('DescribeInstance', () => this.client.send(grantedOnly(new DescribeInstanceCommand({ InstanceId: instanceId }))));
    return out.Instance ?? {};
  }

  /** DescribeUserHierarchyGroup (throws `ConnectApiError` of kind `not-found` when the group is gone). */
  public async describeUserHierarchyGroup(instanceId: string, hierarchyGroupId: string): Promise<HierarchyGroup> {
    const out = await this.call('DescribeUserHierarchyGroup', () => this.client.send(
      grantedOnly(new DescribeUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: hierarchyGroupId }))));
    return out.HierarchyGroup ?? {};
  }

  /** Every page of ListSecurityProfilePermissions. */
  public async listSecurityProfilePermissions(instanceId: string, securityProfileId: string): Promise<string[]> {
    return this.profilePages('ListSecurityProfilePermissions', instanceId, securityProfileId, 1000, async (input) => {
      const out = await this.client.send(grantedOnly(new ListSecurityProfilePermissionsCommand(input)));
      return { items: out.Permissions ?? [], next: out.NextToken };
    });
  }

  /** Every page of ListSecurityProfileApplications. */
  public async listSecurityProfileApplications(instanceId: string, securityProfileId: string): Promise<Application[]> {
    return this.profilePages('ListSecurityProfileApplications', instanceId, securityProfileId, 1000, async (input) => {
      const out = await this.client.send(grantedOnly(new ListSecurityProfileApplicationsCommand(input)));
      return { items: out.Applications ?? [], next: out.NextToken };
    });
  }

  /** Every page of ListSecurityProfileFlowModules. */
  public async listSecurityProfileFlowModules(instanceId: string, securityProfileId: string): Promise<FlowModule[]> {
    return this.profilePages('ListSecurityProfileFlowModules', instanceId, securityProfileId, 100, async (input) => {
      const out = await this.client.send(grantedOnly(new ListSecurityProfileFlowModulesCommand(input)));
      return { items: out.AllowedFlowModules ?? [], next: out.NextToken };
    });
  }

  /** Every page of ListSecurityProfileAIAgents. */
  public async listSecurityProfileAIAgents(instanceId: string, securityProfileId: string): Promise<AIAgent[]> {
    return this.profilePages('ListSecurityProfileAIAgents', instanceId, securityProfileId, 100, async (input) => {
      const out = await this.client.send(grantedOnly(new ListSecurityProfileAIAgentsCommand(input)));
      return { items: out.AllowedAIAgents ?? [], next: out.NextToken };
    });
  }

  /**
   * Find a security profile by exact name with ListSecurityProfiles, page by page (stops at the match).
   */
  public async findSecurityProfileByName(instanceId: string, name: string): Promise<SecurityProfileSummary | undefined> {
    let token: string | undefined;
    do {
      const out = await this.call('ListSecurityProfiles', () => this.client.send(grantedOnly(new ListSecurityProfilesCommand({
        InstanceId: instanceId, NextToken: token, MaxResults: Math.min(this.pageSize, 1000),
      }))));
      const match = (out.SecurityProfileSummaryList ?? []).find((s) => s.Name === name);
      if (match) return match;
      token = out.NextToken;
    } while (token);
    return undefined;
  }

  /** UpdateSecurityProfile. */
  public async updateSecurityProfile(input: UpdateSecurityProfileCommandInput): Promise<void> {
    await this.call('UpdateSecurityProfile', () => this.client.send(grantedOnly(new UpdateSecurityProfileCommand(input))), true);
  }

  /** TagResource. */
  public async tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    await this.call('TagResource', () => this.client.send(grantedOnly(new TagResourceCommand({ resourceArn, tags }))), true);
  }

  /** UntagResource. */
  public async untagResource(resourceArn: string, tagKeys: string[]): Promise<void> {
    await this.call('UntagResource', () => this.client.send(grantedOnly(new UntagResourceCommand({ resourceArn, tagKeys }))), true);
  }

  /** DeleteSecurityProfile. */
  public async deleteSecurityProfile(instanceId: string, securityProfileId: string): Promise<void> {
    await this.call('DeleteSecurityProfile', () => this.client.send(
      grantedOnly(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: securityProfileId }))), true);
  }

  /** One page of SearchUsers (the paginator is in search-users.ts). */
  public async searchUsers(input: SearchUsersCommandInput): Promise<SearchUsersCommandOutput> {
    return this.call('SearchUsers', () => this.client.send(grantedOnly(new SearchUsersCommand(input))));
  }

  /**
   * SearchUserHierarchyGroups, page by page, until every match is read or `limit` groups are (pages of at
   * most 100, the API's maximum). `total` is Connect's `ApproximateTotalCount` of the first page.
   */
  public async searchUserHierarchyGroups(
    instanceId: string, criteria: UserHierarchyGroupSearchCriteria, limit = Infinity,
  ): Promise<{ groups: HierarchyGroup[]; total?: number }> {
    const groups: HierarchyGroup[] = [];
    let total: number | undefined;
    let token: string | undefined;
    do {
      const out = await this.call('SearchUserHierarchyGroups', () => this.client.send(grantedOnly(new SearchUserHierarchyGroupsCommand({
        InstanceId: instanceId, SearchCriteria: criteria, NextToken: token, MaxResults: Math.min(this.pageSize, 100, limit),
      }))));
      total ??= out.ApproximateTotalCount;
      groups.push(...(out.UserHierarchyGroups ?? []));
      token = out.NextToken;
    } while (token && groups.length < limit);
    return { groups: groups.slice(0, limit), total };
  }

  /** DescribeUser (throws `ConnectApiError` of kind `not-found` when the user is gone). */
  public async describeUser(instanceId: string, userId: string): Promise<User> {
    const out = await this.call('DescribeUser', () => this.client.send(grantedOnly(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }))));
    return out.User ?? {};
  }

  /** UpdateUserSecurityProfiles: the user's whole set of profiles (the call replaces it). */
  public async updateUserSecurityProfiles(instanceId: string, userId: string, securityProfileIds: string[]): Promise<void> {
    await this.call('UpdateUserSecurityProfiles', () => this.client.send(grantedOnly(new UpdateUserSecurityProfilesCommand({
      InstanceId: instanceId, UserId: userId, SecurityProfileIds: securityProfileIds,
    }))), true);
  }

  /** Every page of ListEntitySecurityProfiles of an AI agent: the ids of its security profiles. */
  public async listAIAgentSecurityProfiles(instanceId: string, aiAgentArn: string): Promise<string[]> {
    const items = await this.pages('ListEntitySecurityProfiles', async (NextToken) => {
      const out = await this.client.send(grantedOnly(new ListEntitySecurityProfilesCommand({
        InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: aiAgentArn, NextToken,
      })));
      return { items: out.SecurityProfiles ?? [], next: out.NextToken };
    });
    return items.map((item) => item.Id ?? '').filter((id) => id !== '');
  }

  /** AssociateSecurityProfiles of an AI agent. */
  public async associateAIAgentSecurityProfiles(instanceId: string, aiAgentArn: string, securityProfileIds: string[]): Promise<void> {
    await this.call('AssociateSecurityProfiles', () => this.client.send(grantedOnly(new AssociateSecurityProfilesCommand({
      InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: aiAgentArn, SecurityProfiles: securityProfileIds.map((Id) => ({ Id })),
    }))), true);
  }

  /** DisassociateSecurityProfiles of an AI agent. */
  public async disassociateAIAgentSecurityProfiles(instanceId: string, aiAgentArn: string, securityProfileIds: string[]): Promise<void> {
    await this.call('DisassociateSecurityProfiles', () => this.client.send(grantedOnly(new DisassociateSecurityProfilesCommand({
      InstanceId: instanceId, EntityType: 'AI_AGENT', EntityArn: aiAgentArn, SecurityProfiles: securityProfileIds.map((Id) => ({ Id })),
    }))), true);
  }

  /** Every page of a List call on one profile's members, in pages of at most `maxPage` (the API's maximum). */
  private async profilePages<T>(
    operation: string, instanceId: string, securityProfileId: string, maxPage: number,
    page: (input: ProfileListInput) => Promise<{ items: T[]; next?: string }>,
  ): Promise<T[]> {
    return this.pages(operation, (NextToken) => page({
      InstanceId: instanceId, SecurityProfileId: securityProfileId, NextToken, MaxResults: Math.min(this.pageSize, maxPage),
    }));
  }

  private async pages<T>(operation: string, page: (token: string | undefined) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
    const all: T[] = [];
    let token: string | undefined;
    do {
      const out = await this.call(operation, () => page(token));
      all.push(...out.items);
      token = out.next;
    } while (token);
    return all;
  }

  private async call<T>(operation: string, send: () => Promise<T>, write = false): Promise<T> {
    const deadline = this.options.deadline ?? InvocationDeadline.after(DEFAULT_RETRY_WINDOW_MS, this.now);
    const started = this.now();
    let errorAttempts = 0;
    let throttleDelay = this.throttleBaseDelayMs;
    let errorDelay = this.baseDelayMs;
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire(operation);
      // after the token: the wait for it can be long, and the guard must hold at the moment of sending
      if (write) await this.options.writeGuard?.();
      try {
        return await send();
      } catch (err) {
        const kind = classifyError(err);
        if (!isRetryable(kind)) throw new ConnectApiError(operation, err, attempt);
        if (kind !== 'throttled') errorAttempts++;
        if (attempt >= this.maxAttempts || errorAttempts >= this.maxErrorAttempts) {
          throw new ConnectApiError(operation, err, attempt, { elapsedMs: this.now() - started });
        }
        let delayMs: number;
        if (kind === 'throttled') {
          throttleDelay = this.decorrelated(this.throttleBaseDelayMs, throttleDelay);
          delayMs = throttleDelay;
        } else {
          errorDelay = this.decorrelated(this.baseDelayMs, errorDelay);
          delayMs = errorDelay;
        }
        const remaining = deadline.remainingMs();
        if (remaining <= 0) {
          throw new ConnectApiError(operation, err, attempt, { elapsedMs: this.now() - started, outOfTime: true });
        }
        delayMs = Math.round(Math.min(delayMs, remaining));
        this.onRetry?.({ operation, attempt, delayMs, error: err });
        await this.sleep(delayMs);
      }
    }
  }

  /**
   * Decorrelated jitter: a wait drawn between `base` and three times the previous wait, capped. Waits
   * grow while the throttling lasts, and processes that were throttled together spread out.
   */
  private decorrelated(base: number, previous: number): number {
    const low = Math.min(base, this.maxDelayMs);
    const high = Math.min(this.maxDelayMs, Math.max(low, previous * 3));
    return low + this.random() * (high - low);
  }
}

/** The input of the List calls on one profile's members. */
interface ProfileListInput {
  readonly InstanceId: string;
  readonly SecurityProfileId: string;
  readonly NextToken?: string;
  readonly MaxResults: number;
}

const GRANTED_OPERATIONS: ReadonlySet<string> = new Set(CONNECT_OPERATIONS);

/** What `grantedOnly` needs of a command: its own middleware stack. */
interface CommandWithMiddleware {
  readonly middlewareStack: {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    add(middleware: (next: (args: any) => Promise<any>, context: { commandName?: string }) => (args: any) => Promise<any>, options: { step: 'initialize'; name: string }): void;
  };
}

/**
 * The command, refused at send time when its operation is not in `CONNECT_OPERATIONS`, the list the IAM
 * statements are rendered from: a call added to the gateway without its grant fails in every test that
 * makes it, not in a deployed stack with AccessDenied. On the command's own stack, so a client shared with
 * other code is untouched.
 */
export function grantedOnly<C extends CommandWithMiddleware>(command: C): C {
  command.middlewareStack.add((next, context) => async (args) => {
    const operation = (context.commandName ?? '').replace(/Command$/, '');
    if (!GRANTED_OPERATIONS.has(operation)) {
      throw new Error(`the gateway may not send ${operation}: it is not in CONNECT_OPERATIONS (src/private/connect-operations.ts), `
        + 'so IAM does not grant it; add it there and to the role that calls it');
    }
    return next(args);
  }, { step: 'initialize', name: 'grantedOperationsOnly' });
  return command;
}
