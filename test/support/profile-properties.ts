/**
 * The one security profile that declares every managed field, as the construct renders it (before
 * CloudFormation turns scalars into strings). Handler, drift and settings tests start from it.
 */

/** Every managed field of a profile named `name`, restricted to hierarchy group `groupId`. */
export function fullyDeclaredProfile(name: string, groupId: string): Record<string, unknown> {
  return {
    SecurityProfileName: name,
    Description: 'Supervisors of BPO A',
    Permissions: ['BasicAgentAccess', 'Users.View', 'Users.Edit'],
    Tags: { team: 'bpo-a', cost: '42' },
    AllowedAccessControlTags: { Department: 'A' },
    TagRestrictedResources: ['User'],
    Applications: [
      { Namespace: 'crm.example.com', ApplicationPermissions: ['ACCESS'], Type: 'THIRD_PARTY_APPLICATION' },
      { Namespace: 'mcp.example.com', ApplicationPermissions: ['tool-b', 'tool-a'], Type: 'MCP' },
    ],
    HierarchyRestrictedResources: ['User'],
    AllowedAccessControlHierarchyGroupId: groupId,
    AllowedFlowModules: [{ Type: 'MCP', FlowModuleId: 'flow-module-1' }],
    GranularAccessControlConfiguration: {
      DataTableAccessControlConfiguration: {
        PrimaryAttributeAccessControlConfiguration: { PrimaryAttributeValues: [{ AccessType: 'ALLOW', AttributeName: 'region', Values: ['eu'] }] },
      },
    },
    AllowedAIAgents: [{ Type: 'THIRD_PARTY', Arn: 'arn:aws:wisdom:us-east-1:123456789012:ai-agent/a1/b1' }],
  };
}
