import { OperationHandler } from './context';
import { ConnectError, invalidParameter, notFound } from './errors';
import { paginate } from './pagination';
import { InstanceRecord, Store } from './state';

/**
 * A Q in Connect AI agent ARN: `arn:<partition>:wisdom:<region>:<account>:ai-agent/<assistantId>/<aiAgentId>`
 * (Q in Connect API reference, `AIAgentData.aiAgentArn`). Both ids are UUIDs.
 */
const AI_AGENT_ARN = /^arn:(aws[a-z-]*):wisdom:([a-z0-9-]+):(\d{12}):ai-agent\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** At most this many security profiles on one AI agent (not documented; the users' SecurityProfileIds limit). */
export const ENTITY_PROFILE_LIMIT = 10;

/**
 * The entity rules shared by the three operations: only `AI_AGENT` (the model: "Only supported type is
 * AI_AGENT"; users take their profiles from UpdateUserSecurityProfiles), and an AI agent ARN of the instance's
 * account and Region.
 */
function checkEntity(store: Store, input: any): string {
  if (input.EntityType !== 'AI_AGENT') {
    throw invalidParameter(`EntityType '${input.EntityType}' is not supported; the only supported type is AI_AGENT `
      + '(set the security profiles of a user with UpdateUserSecurityProfiles)');
  }
  const arn = input.EntityArn as string;
  const m = AI_AGENT_ARN.exec(arn);
  if (!m) {
    throw invalidParameter(`EntityArn '${arn}' is not the ARN of a Q in Connect AI agent `
      + '(arn:aws:wisdom:<region>:<account>:ai-agent/<assistantId>/<aiAgentId>)');
  }
  if (m[2] !== store.region || m[3] !== store.accountId) {
    throw invalidParameter(`EntityArn '${arn}' is in ${m[3]}/${m[2]}; the AI agent must be in the instance's account and Region (${store.accountId}/${store.region})`);
  }
  return arn;
}

/** The profile ids of a SecurityProfiles list, each resolved in the instance; a repeated id is refused. */
function profileIds(store: Store, instance: InstanceRecord, items: Array<{ Id?: string }>): string[] {
  const ids: string[] = [];
  items.forEach((item, i) => {
    if (item.Id === undefined) {
      throw invalidParameter(`SecurityProfiles.${i + 1}.Id is required`);
    }
    let id: string;
    try {
      id = store.profile(instance, item.Id).id;
    } catch {
      throw notFound(`SecurityProfiles.${i + 1}.Id: security profile ${item.Id} was not found in instance ${instance.id}`);
    }
    if (ids.includes(id)) {
      throw invalidParameter(`SecurityProfiles lists security profile ${id} more than once`);
    }
    ids.push(id);
  });
  return ids;
}

const associateSecurityProfiles: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const arn = checkEntity(ctx.store, input);
  const ids = profileIds(ctx.store, instance, input.SecurityProfiles);
  const held = instance.entityProfiles.get(arn) ?? [];
  const already = ids.find(id => held.includes(id));
  if (already) {
    throw new ConnectError('ResourceConflictException', `security profile ${already} is already associated with ${arn}; list the entity's profiles with ListEntitySecurityProfiles and associate only the missing ones`);
  }
  if (held.length + ids.length > ENTITY_PROFILE_LIMIT) {
    throw invalidParameter(`${arn} would hold ${held.length + ids.length} security profiles; at most ${ENTITY_PROFILE_LIMIT} are allowed`);
  }
  instance.entityProfiles.set(arn, [...held, ...ids]);
  return undefined;
};

const disassociateSecurityProfiles: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const arn = checkEntity(ctx.store, input);
  const ids = profileIds(ctx.store, instance, input.SecurityProfiles);
  const held = instance.entityProfiles.get(arn) ?? [];
  const missing = ids.find(id => !held.includes(id));
  if (missing) {
    throw notFound(`security profile ${missing} is not associated with ${arn}`);
  }
  const rest = held.filter(id => !ids.includes(id));
  if (rest.length === 0) {
    instance.entityProfiles.delete(arn);
  } else {
    instance.entityProfiles.set(arn, rest);
  }
  return undefined;
};

const listEntitySecurityProfiles: OperationHandler = (input, ctx) => {
  const instance = ctx.store.instance(input.InstanceId);
  const arn = checkEntity(ctx.store, input);
  const held = (instance.entityProfiles.get(arn) ?? []).map(id => instance.profiles.get(id)!).filter(p => p !== undefined);
  const { page, nextToken } = paginate(held, p => p.seq, {
    maxResults: input.MaxResults, nextToken: input.NextToken, scope: `ListEntitySecurityProfiles/${instance.id}/${arn}`,
  });
  return { SecurityProfiles: page.map(p => ({ Id: p.id })), NextToken: nextToken };
};

/** Is this profile associated with any AI agent of the instance? (DeleteSecurityProfile refuses then.) */
export function associatedEntity(instance: InstanceRecord, profileId: string): string | undefined {
  for (const [arn, ids] of instance.entityProfiles) {
    if (ids.includes(profileId)) {
      return arn;
    }
  }
  return undefined;
}

/** Handlers of the entity (AI agent) security profile operations. */
export const entityProfileHandlers: Record<string, OperationHandler> = {
  AssociateSecurityProfiles: associateSecurityProfiles,
  DisassociateSecurityProfiles: disassociateSecurityProfiles,
  ListEntitySecurityProfiles: listEntitySecurityProfiles,
};
