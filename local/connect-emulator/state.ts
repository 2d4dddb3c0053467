import { randomUUID } from 'crypto';
import { ConnectError, invalidParameter, notFound } from './errors';

/** Tags as Connect returns them. */
export type Tags = Record<string, string>;

/** A stored security profile (all members the API can set or return). */
export interface ProfileRecord {
  readonly seq: number;
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly createdAt: number;
  description?: string;
  permissions: string[];
  tags: Tags;
  allowedAccessControlTags: Record<string, string>;
  tagRestrictedResources: string[];
  applications: unknown[];
  hierarchyRestrictedResources: string[];
  allowedAccessControlHierarchyGroupId?: string;
  allowedFlowModules: unknown[];
  allowedAIAgents: unknown[];
  granularAccessControlConfiguration?: unknown;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

/** A stored user hierarchy group. */
export interface GroupRecord {
  readonly seq: number;
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly parentId?: string;
  /** 1..5 */
  readonly depth: number;
  tags: Tags;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

/** A level of the user hierarchy structure. */
export interface LevelRecord {
  readonly id: string;
  readonly arn: string;
  name: string;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

/** A stored user. `phoneConfig.AfterContactWorkTimeLimit` is kept in seconds. */
export interface UserRecord {
  readonly seq: number;
  readonly id: string;
  readonly arn: string;
  readonly username: string;
  identityInfo: Record<string, unknown>;
  phoneConfig: Record<string, unknown>;
  directoryUserId?: string;
  securityProfileIds: string[];
  routingProfileId: string;
  hierarchyGroupId?: string;
  tags: Tags;
  autoAcceptConfigs?: unknown[];
  afterContactWorkConfigs?: unknown[];
  phoneNumberConfigs?: unknown[];
  persistentConnectionConfigs?: unknown[];
  voiceEnhancementConfigs?: unknown[];
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

/** A stored Connect instance and everything in it. */
export interface InstanceRecord {
  readonly id: string;
  readonly arn: string;
  readonly alias?: string;
  readonly identityManagementType: 'CONNECT_MANAGED' | 'SAML' | 'EXISTING_DIRECTORY';
  readonly createdTime: number;
  readonly inboundCallsEnabled: boolean;
  readonly outboundCallsEnabled: boolean;
  tags: Tags;
  readonly profiles: Map<string, ProfileRecord>;
  readonly groups: Map<string, GroupRecord>;
  readonly users: Map<string, UserRecord>;
  /** username -> user id (usernames are unique per instance) */
  readonly userIdsByName: Map<string, string>;
  /** index 0..4 = LevelOne..LevelFive */
  readonly levels: Array<LevelRecord | undefined>;
  /** The level-zero group every instance has (SearchUserHierarchyGroups returns it; it is not user-definable). */
  readonly rootGroupId: string;
  /** Entity ARN (a Q in Connect AI agent) -> the ids of the security profiles associated with it, in association order. */
  readonly entityProfiles: Map<string, string[]>;
  /** Creation order (ListInstances). */
  readonly seq: number;
  /** The instance's security-profile quota (L-F325A715, adjustable in Service Quotas). */
  readonly profileQuota: number;
}

/** Security profiles per instance (default quota L-F325A715). */
export const PROFILE_QUOTA = 100;
/** Users per instance (default quota L-9A46857E). */
export const USER_QUOTA = 500;
/** Hierarchy groups per instance, all levels together (default quota L-D68AAAE4). */
export const GROUP_QUOTA = 500;
/** Tags per resource. */
export const TAG_QUOTA = 50;

/**
 * The emulator's state: instances and the profiles, hierarchy and users inside them, with ids and ARNs
 * in Connect's formats. Lookups accept an id or a full ARN wherever the API takes an identifier.
 */
export class Store {
  readonly instances = new Map<string, InstanceRecord>();
  private seq = 0;
  private readonly byArn = new Map<string, { instance: InstanceRecord; kind: 'instance' | 'profile' | 'group' | 'user'; id: string }>();

  constructor(readonly region: string, readonly accountId: string) {}

  /** The next value of the creation sequence (orders lists and pagination cursors). */
  nextSeq(): number {
    return ++this.seq;
  }

  /** Create an empty instance record. */
  addInstance(options: {
    alias?: string; identityManagementType: InstanceRecord['identityManagementType']; inbound?: boolean; outbound?: boolean; tags?: Tags; profileQuota?: number;
  }): InstanceRecord {
    const id = randomUUID();
    const instance: InstanceRecord = {
      id,
      arn: `arn:aws:connect:${this.region}:${this.accountId}:instance/${id}`,
      alias: options.alias,
      identityManagementType: options.identityManagementType,
      createdTime: Date.now(),
      inboundCallsEnabled: options.inbound ?? true,
      outboundCallsEnabled: options.outbound ?? true,
      tags: { ...options.tags },
      profiles: new Map(),
      groups: new Map(),
      users: new Map(),
      userIdsByName: new Map(),
      levels: [undefined, undefined, undefined, undefined, undefined],
      rootGroupId: randomUUID(),
      entityProfiles: new Map(),
      seq: this.nextSeq(),
      profileQuota: options.profileQuota ?? PROFILE_QUOTA,
    };
    this.instances.set(id, instance);
    this.byArn.set(instance.arn, { instance, kind: 'instance', id });
    return instance;
  }

  /** Make an ARN for a resource inside an instance. */
  arnFor(instance: InstanceRecord, kind: 'security-profile' | 'agent' | 'agent-group' | 'agent-group-level', id: string): string {
    return `${instance.arn}/${kind}/${id}`;
  }

  /** Register a resource ARN for the tag operations. */
  registerArn(arn: string, instance: InstanceRecord, kind: 'profile' | 'group' | 'user', id: string): void {
    this.byArn.set(arn, { instance, kind, id });
  }

  /** Forget a resource ARN (on delete). */
  unregisterArn(arn: string): void {
    this.byArn.delete(arn);
  }

  /** Find the resource behind an ARN (tag operations), or throw ResourceNotFoundException. */
  resourceByArn(arn: string): { instance: InstanceRecord; target: { tags: Tags } } {
    const entry = this.byArn.get(arn);
    if (!entry) {
      throw notFound(`resource ${arn} was not found; pass the ARN of an existing instance, security profile, user or hierarchy group`);
    }
    const { instance, kind, id } = entry;
    const target = kind === 'instance' ? instance
      : kind === 'profile' ? instance.profiles.get(id)
        : kind === 'group' ? instance.groups.get(id)
          : instance.users.get(id);
    if (!target) {
      throw notFound(`resource ${arn} was not found`);
    }
    return { instance, target };
  }

  /** Resolve an InstanceId path or body value (an id or a full instance ARN). */
  instance(idOrArn: string): InstanceRecord {
    const id = idOrArn.startsWith('arn:') ? this.idFromInstanceArn(idOrArn) : idOrArn;
    const instance = id === undefined ? undefined : this.instances.get(id);
    if (!instance) {
      throw notFound(`instance ${idOrArn} was not found; pass the id or ARN of an existing Connect instance`);
    }
    return instance;
  }

  /** Resolve a security profile by id or ARN inside an instance. */
  profile(instance: InstanceRecord, idOrArn: string): ProfileRecord {
    const profile = instance.profiles.get(childId(instance, idOrArn, 'security-profile'));
    if (!profile) {
      throw notFound(`security profile ${idOrArn} was not found in instance ${instance.id}`);
    }
    return profile;
  }

  /** Resolve a hierarchy group by id or ARN inside an instance. */
  group(instance: InstanceRecord, idOrArn: string, error: (m: string) => ConnectError = notFound): GroupRecord {
    const group = instance.groups.get(childId(instance, idOrArn, 'agent-group'));
    if (!group) {
      throw error(`hierarchy group ${idOrArn} was not found in instance ${instance.id}`);
    }
    return group;
  }

  /** Resolve a user by id or ARN inside an instance. */
  user(instance: InstanceRecord, idOrArn: string): UserRecord {
    const user = instance.users.get(childId(instance, idOrArn, 'agent'));
    if (!user) {
      throw notFound(`user ${idOrArn} was not found in instance ${instance.id}`);
    }
    return user;
  }

  /** The ancestors of a group, root first, ending with the group itself. */
  pathOf(instance: InstanceRecord, group: GroupRecord): GroupRecord[] {
    const path: GroupRecord[] = [];
    let current: GroupRecord | undefined = group;
    while (current) {
      path.unshift(current);
      current = current.parentId ? instance.groups.get(current.parentId) : undefined;
    }
    return path;
  }

  private idFromInstanceArn(arn: string): string | undefined {
    const m = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/([^/]+)$/.exec(arn);
    return m ? m[1] : undefined;
  }
}

/** The id inside `<instanceArn>/<kind>/<id>`, or the input when it is not an ARN. */
function childId(instance: InstanceRecord, idOrArn: string, kind: string): string {
  if (!idOrArn.startsWith('arn:')) {
    return idOrArn;
  }
  const prefix = `${instance.arn}/${kind}/`;
  if (!idOrArn.startsWith(prefix)) {
    return '';
  }
  return idOrArn.slice(prefix.length);
}

/** Apply the tag-count quota, naming the resource. */
export function checkTagCount(tags: Tags, what: string): void {
  const n = Object.keys(tags).length;
  if (n > TAG_QUOTA) {
    throw invalidParameter(`${what} would have ${n} tags; a resource can have at most ${TAG_QUOTA} tags`);
  }
}
