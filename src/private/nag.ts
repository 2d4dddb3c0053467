/**
 * cdk-nag acknowledgements on the library's own resources (the provider and the drift resources).
 */
import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records a cdk-nag acknowledgement on a construct the library owns.
 *
 * `Validations.of(x).acknowledge()` is newer than aws-cdk-lib 2.170, so this writes what it writes: the
 * `aws:cdk:acknowledged-rules` metadata that cdk-nag 3 reads on a resource and its ancestors, keyed by
 * the rule id, or by `<rule>[<finding>]` for rules that report findings. cdk-nag 2 reads `cdk_nag`
 * metadata on the CloudFormation resources, which is added too.
 */
export function acknowledge(scope: IConstruct, ruleId: string, reason: string, findings?: string[]): void {
  const ids = findings ? findings.map((f) => `${ruleId}[${f}]`) : [ruleId];
  scope.node.addMetadata('aws:cdk:acknowledged-rules', Object.fromEntries(ids.map((id) => [id, reason])));
  for (const child of scope.node.findAll()) {
    if (!CfnResource.isCfnResource(child)) continue;
    const existing = (child.getMetadata('cdk_nag') as { rules_to_suppress?: Array<{ id: string }> } | undefined)?.rules_to_suppress ?? [];
    if (existing.some((rule) => rule.id === ruleId)) continue;
    child.addMetadata('cdk_nag', { rules_to_suppress: [...existing, { id: ruleId, reason }] });
  }
}

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names findings (`Resource::<value>`):
 * `Ref` becomes `<Name>`, `Fn::GetAtt` `<Name.Attr>`, `Fn::Join` its joined parts.
 */
export function flattenCfnReference(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const node = value as { [key: string]: unknown };
  if (node['Fn::Join']) {
    const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfnReference).join(delimiter);
  }
  if (node['Fn::Sub']) return flattenCfnReference(node['Fn::Sub']);
  if (node['Fn::GetAtt']) {
    const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfnReference(resource)}.${flattenCfnReference(attribute)}>`;
  }
  if (node['Fn::ImportValue']) return flattenCfnReference(node['Fn::ImportValue']);
  if (node.Ref) return `<${flattenCfnReference(node.Ref)}>`;
  return JSON.stringify(value);
}
