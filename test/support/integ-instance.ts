/**
 * The Connect instance an integration test app deploys for itself (a real account's fresh instance: no
 * hierarchy levels, no groups, only the default profiles).
 */
import { Stack } from 'aws-cdk-lib';
import { CfnInstance } from 'aws-cdk-lib/aws-connect';
import { IInstance, Instance } from '../../src';

/** A new instance with inbound calls only; `identityManagementType` CONNECT_MANAGED unless given. */
export function integInstance(stack: Stack, alias: string, identityManagementType = 'CONNECT_MANAGED'): IInstance {
  const cfnInstance = new CfnInstance(stack, 'Instance', {
    identityManagementType,
    instanceAlias: alias,
    attributes: { inboundCalls: true, outboundCalls: false },
  });
  return Instance.fromCfnInstance(cfnInstance);
}
