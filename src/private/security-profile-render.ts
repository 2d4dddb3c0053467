/**
 * What a `SecurityProfile` writes into the template: its props as the properties of
 * `Custom::ConnectSecurityProfile`, in the contract's keys and casing. What later calls can change
 * (`addPermissions`, `Tags.of`, `applyRemovalPolicy`) renders through `Lazy`, at synth.
 */
import { Lazy, RemovalPolicy, TagManager } from 'aws-cdk-lib';
import {
  AIAgentPayload, ApplicationPayload, CONTRACT_VERSION, FlowModulePayload, GranularAccessControlPayload, RemovalPolicyValue,
  SecurityProfileProperties,
} from './contract';
import { GranularAccessControlConfiguration, PrimaryAttributeAccessType } from '../access-control';
import type { Application } from '../applications';
import type { DriftReconciliation } from '../drift';
import type { SecurityProfileProps } from '../security-profile';

/**
 * Every key of the contract, each decided (a value, a token, or `undefined`, which renders nothing), so a key the
 * contract adds cannot be forgotten here.
 */
export type RenderedProperties = { [K in keyof SecurityProfileProperties]-?: unknown };

/** What the profile can still change after construction. */
export interface LateProperties {
  /** The permission names, in any order. */
  readonly permissions: () => string[];
  readonly tags: TagManager;
  readonly removalPolicy: () => RemovalPolicy;
}

export function renderProperties(props: SecurityProfileProps, drift: DriftReconciliation, late: LateProperties): RenderedProperties {
  const hierarchy = props.hierarchyAccessControl;
  return {
    ContractVersion: CONTRACT_VERSION,
    InstanceArn: props.instance.instanceArn,
    SecurityProfileName: props.securityProfileName,
    Description: props.description,
    // Lazy.any, not Lazy.list: a list token is registered in the token map (a string key per profile) for nothing
    Permissions: Lazy.any({ produce: () => late.permissions().sort() }, { omitEmptyArray: true }),
    Tags: Lazy.any({ produce: () => late.tags.renderTags() }, { omitEmptyArray: true }),
    AllowedAccessControlTags: props.tagAccessControl?.allowedAccessControlTags,
    TagRestrictedResources: props.tagAccessControl?.tagRestrictedResources.map((r) => r.name),
    Applications: nonEmptyList(props.applications?.map(renderApplication)),
    HierarchyRestrictedResources: hierarchy ? [...hierarchy.restrictedResources] : undefined,
    AllowedAccessControlHierarchyGroupId: hierarchy?.group?.userHierarchyGroupId,
    AllowedFlowModules: props.allowedFlowModules?.map((m): FlowModulePayload => ({ Type: m.type.name, FlowModuleId: m.flowModuleId })),
    GranularAccessControlConfiguration: renderGranular(props.granularAccessControlConfiguration),
    AllowedAIAgents: props.allowedAIAgents?.map((a): AIAgentPayload => ({ Arn: a.aiAgentArn, Type: a.type.name })),
    RemovalPolicy: Lazy.string({ produce: () => renderRemovalPolicy(late.removalPolicy()) }),
    AdoptExisting: props.adoptExisting ? 'true' : undefined,
    DriftMode: drift.mode,
  };
}

function renderRemovalPolicy(policy: RemovalPolicy): RemovalPolicyValue {
  return policy === RemovalPolicy.DESTROY ? 'Delete' : 'Retain';
}

function renderApplication(app: Application): ApplicationPayload {
  return { Namespace: app.namespace, ApplicationPermissions: [...app.applicationPermissions], Type: app.type?.name };
}

function renderGranular(config: GranularAccessControlConfiguration | undefined): GranularAccessControlPayload | undefined {
  if (config === undefined) return undefined;
  const primary = config.dataTableAccessControlConfiguration?.primaryAttributeAccessControlConfiguration;
  return {
    DataTableAccessControlConfiguration: config.dataTableAccessControlConfiguration === undefined ? undefined : {
      PrimaryAttributeAccessControlConfiguration: primary === undefined ? undefined : {
        PrimaryAttributeValues: primary.primaryAttributeValues?.map((v) => ({
          AccessType: v.accessType ?? PrimaryAttributeAccessType.ALLOW,
          AttributeName: v.attributeName,
          Values: [...v.values],
        })),
      },
    },
  };
}

function nonEmptyList<T>(list: T[] | undefined): T[] | undefined {
  return list === undefined || list.length === 0 ? undefined : list;
}
