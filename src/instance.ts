import { ArnFormat, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import { CfnInstance } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';
import { instanceIdOfArn } from './private/imported-arns';

/**
 * An Amazon Connect instance that security profiles and hierarchy groups belong to.
 *
 * This library does not create instances: import one with `Instance.fromInstanceArn` or
 * `Instance.fromInstanceId`, or wrap an `aws-connect.CfnInstance` defined in the same app with
 * `Instance.fromCfnInstance`.
 */
export interface IInstance extends IResource {
  /**
   * The ARN of the instance: `arn:<partition>:connect:<region>:<account>:instance/<instanceId>`.
   *
   * @attribute
   */
  readonly instanceArn: string;

  /**
   * The id of the instance (the last segment of its ARN).
   *
   * @attribute
   */
  readonly instanceId: string;
}

/**
 * References to an existing Amazon Connect instance.
 */
export class Instance {
  /**
   * Reference an instance by its ARN.
   *
   * The id is read from the ARN (at synth for a literal ARN, with `Fn::Select`/`Fn::Split` at deploy
   * time for a token).
   *
   * @param scope the scope of the imported construct
   * @param id the id of the imported construct
   * @param instanceArn `arn:<partition>:connect:<region>:<account>:instance/<instanceId>`
   */
  public static fromInstanceArn(scope: Construct, id: string, instanceArn: string): IInstance {
    return new ImportedInstance(scope, id, instanceArn, instanceIdOfArn(instanceArn));
  }

  /**
   * Reference an instance of the stack's own account and region by its id.
   *
   * The ARN is built with the partition, region and account of the stack that `scope` belongs to.
   *
   * @param scope the scope of the imported construct
   * @param id the id of the imported construct
   * @param instanceId the instance id, for example `aaaabbbb-cccc-dddd-eeee-ffff00001111`
   */
  public static fromInstanceId(scope: Construct, id: string, instanceId: string): IInstance {
    if (!Token.isUnresolved(instanceId) && !/^[A-Za-z0-9-]{1,100}$/.test(instanceId)) {
      throw new Error(
        `\`instanceId\` must be an instance id (letters, digits and '-', 1 to 100 characters), got '${instanceId}': for an ARN use Instance.fromInstanceArn()`,
      );
    }
    const instanceArn = Stack.of(scope).formatArn({
      service: 'connect',
      resource: 'instance',
      resourceName: instanceId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    return new ImportedInstance(scope, id, instanceArn, instanceId);
  }

  /**
   * Reference an instance defined in the same app with `aws-connect.CfnInstance`.
   *
   * The reference lives under the `CfnInstance` (construct id `@FromCfnInstance`); calling this twice
   * returns the same reference.
   *
   * @param instance the L1 instance
   */
  public static fromCfnInstance(instance: CfnInstance): IInstance {
    const existing = instance.node.tryFindChild(FROM_CFN_ID);
    if (existing) {
      return existing as IInstance;
    }
    return new ImportedInstance(instance, FROM_CFN_ID, instance.attrArn, instance.attrId);
  }

  private constructor() {}
}

const FROM_CFN_ID = '@FromCfnInstance';

class ImportedInstance extends Resource implements IInstance {
  constructor(scope: Construct, id: string, public readonly instanceArn: string, public readonly instanceId: string) {
    super(scope, id, Token.isUnresolved(instanceArn) ? {} : { environmentFromArn: instanceArn });
  }
}
