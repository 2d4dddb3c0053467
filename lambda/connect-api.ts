/**
 * The gateway to Amazon Connect: the only module that knows `@aws-sdk/client-connect`.
 *
 * Every call goes through the client-side rate limiter and a retry loop (jittered exponential backoff):
 * throttling, server errors and dropped connections are retried; `LimitExceededException` (also HTTP
 * 429, but a quota) is not. Failures surface as `ConnectApiError` with a classification.
 *
 * The retry loop lives here, not in the SDK, so each attempt takes a token from the bucket: build the
 * client with `maxAttempts: 1` (`createConnectClient` does), or the SDK retries underneath as well.
 */
import {
  AIAgent,
  Application,
  ConnectClient,
  ConnectClientConfig,
  CreateSecurityProfileCommand,
  CreateSecurityProfileCommandInput,
  DeleteSecurityProfileCommand,
  DescribeSecurityProfileCommand,
  FlowModule,
  ListSecurityProfileAIAgentsCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfileFlowModulesCommand,
  ListSecurityProfilePermissionsCommand,
  ListSecurityProfilesCommand,
  SearchUsersCommand,
  SearchUsersCommandInput,
  SearchUsersCommandOutput,
  SecurityProfile,
  SecurityProfileSummary,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecurityProfileCommand,
  UpdateSecurityProfileCommandInput,
} from '@aws-sdk/client-connect';
import { ConnectApiError, classifyError, isRetryable } from './errors';
import { RateLimiter, numberFromEnv, processRateLimiter } from './rate-limiter';
import { ENV } from '../src/private/contract';

/** Retry settings. */
export interface RetryOptions {
  /**
   * Attempts per call, the first included.
   *
   * @default CONNECT_MAX_ATTEMPTS, else 8
   */
  readonly maxAttempts?: number;
  /**
   * Backoff base after a throttled attempt: attempt n waits a random time up to base * 2^(n-1).
   *
   * @default 500
   */
  readonly throttleBaseDelayMs?: number;
  /**
   * Backoff base after a server error or a dropped connection.
   *
   * @default 100
   */
  readonly baseDelayMs?: number;
  /**
   * The longest single wait.
   *
   * @default 20000
   */
  readonly maxDelayMs?: number;
}

/** Options of `ConnectApi`. */
export interface ConnectApiOptions {
  /**
   * The rate limiter every attempt goes through.
   *
   * @default the process-wide bucket (`processRateLimiter()`)
   */
  readonly rateLimiter?: RateLimiter;
  /** Retry settings. */
  readonly retry?: RetryOptions;
  /**
   * Page size of the List calls.
   *
   * @default 1000 (100 for flow modules and AI agents)
   */
  readonly pageSize?: number;
  /** How to wait between attempts. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Random numbers in [0, 1) for the jitter. @default Math.random */
  readonly random?: () => number;
  /** Called before each retry (for logs). */
  readonly onRetry?: (info: { operation: string; attempt: number; delayMs: number; error: unknown }) => void;
}

/** The identity of a security profile. */
export interface SecurityProfileIdentity {
  /** The security profile id. */
  readonly securityProfileId: string;
  /** The security profile ARN. */
  readonly securityProfileArn: string;
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
  private readonly throttleBaseDelayMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly pageSize: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onRetry?: ConnectApiOptions['onRetry'];

  /**
   * @param client the SDK client (build it with `createConnectClient`, or with `maxAttempts: 1`)
   * @param options rate limiter and retry settings
   */
  constructor(private readonly client: ConnectClient, options: ConnectApiOptions = {}) {
    this.limiter = options.rateLimiter ?? processRateLimiter();
    this.maxAttempts = Math.max(1, Math.floor(options.retry?.maxAttempts ?? numberFromEnv(process.env, ENV.maxAttempts, 8)));
    this.throttleBaseDelayMs = options.retry?.throttleBaseDelayMs ?? 500;
    this.baseDelayMs = options.retry?.baseDelayMs ?? 100;
    this.maxDelayMs = options.retry?.maxDelayMs ?? 20_000;
    this.pageSize = options.pageSize ?? 1000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
  }

  /** CreateSecurityProfile. */
  public async createSecurityProfile(input: CreateSecurityProfileCommandInput): Promise<SecurityProfileIdentity> {
    const out = await this.call('CreateSecurityProfile', () => this.client.send(new CreateSecurityProfileCommand(input)));
    return { securityProfileId: out.SecurityProfileId ?? '', securityProfileArn: out.SecurityProfileArn ?? '' };
  }

  /** DescribeSecurityProfile (throws `ConnectApiError` of kind `not-found` when absent). */
  public async describeSecurityProfile(instanceId: string, securityProfileId: string): Promise<SecurityProfile> {
    const out = await this.call('DescribeSecurityProfile', () => this.client.send(
      new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: securityProfileId })));
    return out.SecurityProfile ?? {};
  }

  /** Every page of ListSecurityProfilePermissions. */
  public async listSecurityProfilePermissions(instanceId: string, securityProfileId: string): Promise<string[]> {
    return this.pages('ListSecurityProfilePermissions', async (NextToken) => {
      const out = await this.client.send(new ListSecurityProfilePermissionsCommand({
        InstanceId: instanceId, SecurityProfileId: securityProfileId, NextToken, MaxResults: Math.min(this.pageSize, 1000),
      }));
      return { items: out.Permissions ?? [], next: out.NextToken };
    });
  }

  /** Every page of ListSecurityProfileApplications. */
  public async listSecurityProfileApplications(instanceId: string, securityProfileId: string): Promise<Application[]> {
    return this.pages('ListSecurityProfileApplications', async (NextToken) => {
      const out = await this.client.send(new ListSecurityProfileApplicationsCommand({
        InstanceId: instanceId, SecurityProfileId: securityProfileId, NextToken, MaxResults: Math.min(this.pageSize, 1000),
      }));
      return { items: out.Applications ?? [], next: out.NextToken };
    });
  }

  /** Every page of ListSecurityProfileFlowModules. */
  public async listSecurityProfileFlowModules(instanceId: string, securityProfileId: string): Promise<FlowModule[]> {
    return this.pages('ListSecurityProfileFlowModules', async (NextToken) => {
      const out = await this.client.send(new ListSecurityProfileFlowModulesCommand({
        InstanceId: instanceId, SecurityProfileId: securityProfileId, NextToken, MaxResults: Math.min(this.pageSize, 100),
      }));
      return { items: out.AllowedFlowModules ?? [], next: out.NextToken };
    });
  }

  /** Every page of ListSecurityProfileAIAgents. */
  public async listSecurityProfileAIAgents(instanceId: string, securityProfileId: string): Promise<AIAgent[]> {
    return this.pages('ListSecurityProfileAIAgents', async (NextToken) => {
      const out = await this.client.send(new ListSecurityProfileAIAgentsCommand({
        InstanceId: instanceId, SecurityProfileId: securityProfileId, NextToken, MaxResults: Math.min(this.pageSize, 100),
      }));
      return { items: out.AllowedAIAgents ?? [], next: out.NextToken };
    });
  }

  /**
   * Find a security profile by exact name with ListSecurityProfiles, page by page (stops at the match).
   */
  public async findSecurityProfileByName(instanceId: string, name: string): Promise<SecurityProfileSummary | undefined> {
    let token: string | undefined;
    do {
      const out = await this.call('ListSecurityProfiles', () => this.client.send(new ListSecurityProfilesCommand({
        InstanceId: instanceId, NextToken: token, MaxResults: Math.min(this.pageSize, 1000),
      })));
      const match = (out.SecurityProfileSummaryList ?? []).find((s) => s.Name === name);
      if (match) return match;
      token = out.NextToken;
    } while (token);
    return undefined;
  }

  /** UpdateSecurityProfile. */
  public async updateSecurityProfile(input: UpdateSecurityProfileCommandInput): Promise<void> {
    await this.call('UpdateSecurityProfile', () => this.client.send(new UpdateSecurityProfileCommand(input)));
  }

  /** TagResource. */
  public async tagResource(resourceArn: string, tags: Record<string, string>): Promise<void> {
    await this.call('TagResource', () => this.client.send(new TagResourceCommand({ resourceArn, tags })));
  }

  /** UntagResource. */
  public async untagResource(resourceArn: string, tagKeys: string[]): Promise<void> {
    await this.call('UntagResource', () => this.client.send(new UntagResourceCommand({ resourceArn, tagKeys })));
  }

  /** DeleteSecurityProfile. */
  public async deleteSecurityProfile(instanceId: string, securityProfileId: string): Promise<void> {
    await this.call('DeleteSecurityProfile', () => this.client.send(
      new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: securityProfileId })));
  }

  /** One page of SearchUsers (the paginator is in search-users.ts). */
  public async searchUsers(input: SearchUsersCommandInput): Promise<SearchUsersCommandOutput> {
    return this.call('SearchUsers', () => this.client.send(new SearchUsersCommand(input)));
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

  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire();
      try {
        return await send();
      } catch (err) {
        const kind = classifyError(err);
        if (!isRetryable(kind) || attempt >= this.maxAttempts) throw new ConnectApiError(operation, err, attempt);
        const base = kind === 'throttled' ? this.throttleBaseDelayMs : this.baseDelayMs;
        const cap = Math.min(this.maxDelayMs, base * 2 ** (attempt - 1));
        // "equal jitter": at least half the cap, so throttled retries always back off
        const delayMs = Math.round(cap / 2 + this.random() * (cap / 2));
        this.onRetry?.({ operation, attempt, delayMs, error: err });
        await this.sleep(delayMs);
      }
    }
  }
}
