// What a security profile grants beyond its permissions: applications (third-party apps and MCP servers), flow
// modules and AI agents.

/**
 * The kind of application a security profile grants access to.
 */
export class ApplicationType {
  /** A third-party application (agent workspace app); its only permission is `ACCESS`. */
  public static readonly THIRD_PARTY_APPLICATION = new ApplicationType('THIRD_PARTY_APPLICATION');
  /** An MCP server; its permissions are tool identifiers. */
  public static readonly MCP = new ApplicationType('MCP');

  /**
   * An application type by its API name, for types this library does not list yet.
   *
   * @param name the API name
   */
  public static of(name: string): ApplicationType {
    return new ApplicationType(name);
  }

  /**
   * @param name the API name
   */
  private constructor(public readonly name: string) {}
}

/**
 * An application whose permissions the security profile grants.
 *
 * @see https://docs.aws.amazon.com/connect/latest/APIReference/API_Application.html
 */
export interface Application {
  /**
   * The namespace of the application (for a third-party app, its namespace in Connect).
   */
  readonly namespace: string;

  /**
   * The permissions in the application: `ACCESS` for third-party applications, tool identifiers for
   * MCP servers. 1 to 50 entries.
   */
  readonly applicationPermissions: string[];

  /**
   * The kind of application.
   *
   * @default - Connect's default (a third-party application)
   */
  readonly type?: ApplicationType;
}

/**
 * The kind of flow module a security profile allows.
 */
export class FlowModuleType {
  /** A flow module that exposes an MCP tool. */
  public static readonly MCP = new FlowModuleType('MCP');

  /**
   * A flow module type by its API name, for types this library does not list yet.
   *
   * @param name the API name
   */
  public static of(name: string): FlowModuleType {
    return new FlowModuleType(name);
  }

  /**
   * @param name the API name
   */
  private constructor(public readonly name: string) {}
}

/**
 * A flow module the security profile allows.
 */
export interface FlowModule {
  /**
   * The kind of module.
   */
  readonly type: FlowModuleType;

  /**
   * The id of the flow module.
   */
  readonly flowModuleId: string;
}

/**
 * The kind of AI agent a security profile allows.
 */
export class AiAgentType {
  /** A third-party AI agent. */
  public static readonly THIRD_PARTY = new AiAgentType('THIRD_PARTY');

  /**
   * An AI agent type by its API name, for types this library does not list yet.
   *
   * @param name the API name
   */
  public static of(name: string): AiAgentType {
    return new AiAgentType(name);
  }

  /**
   * @param name the API name
   */
  private constructor(public readonly name: string) {}
}

/**
 * An AI agent the security profile allows.
 */
export interface AiAgent {
  /**
   * The ARN of the AI agent.
   */
  readonly aiAgentArn: string;

  /**
   * The kind of AI agent.
   */
  readonly type: AiAgentType;
}
