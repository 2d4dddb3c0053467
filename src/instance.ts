import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import { CfnInstance } from 'aws-cdk-lib/aws-connect';
import { IConstruct } from 'constructs';

/**
 * An Amazon Connect instance that security profiles and hierarchy groups belong to.
 *
 * This library does not create instances: import one with `Instance.fromInstanceArn`,
 * `Instance.fromInstanceId`, or wrap an `aws-connect.CfnInstance` defined in the same app with
 * `Instance.fromCfnInstance`.
 */
export interface IInstance {
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
   * @param instanceArn `arn:<partition>:connect:<region>:<account>:instance/<instanceId>`
   */
  public static fromInstanceArn(instanceArn: string): IInstance {
    if (Token.isUnresolved(instanceArn)) {
      return { instanceArn, instanceId: Arn.split(instanceArn, ArnFormat.SLASH_RESOURCE_NAME).resourceName! };
    }
    const match = /^arn:[a-z0-9-]+:connect:[a-z0-9-]+:\d{12}:instance\/([A-Za-z0-9-]{1,100})$/.exec(instanceArn);
    if (!match) {
      throw new Error(
        `\`instanceArn\` must look like arn:<partition>:connect:<region>:<account>:instance/<instanceId>, got '${instanceArn}': pass the instance's full ARN (see the Connect console's "Instance ARN") or use Instance.fromInstanceId()`,
      );
    }
    return { instanceArn, instanceId: match[1] };
  }

  /**
   * Reference an instance of the stack's own account and region by its id.
   *
   * The ARN is built with the partition, region and account of the stack that `scope` belongs to.
   *
   * @param scope any construct in the stack that uses the instance
   * @param instanceId the instance id, for example `aaaabbbb-cccc-dddd-eeee-ffff00001111`
   */
  public static fromInstanceId(scope: IConstruct, instanceId: string): IInstance {
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
    return { instanceArn, instanceId };
  }

  /**
   * Reference an instance defined in the same app with `aws-connect.CfnInstance`.
   *
   * @param instance the L1 instance
   */
  public static fromCfnInstance(instance: CfnInstance): IInstance {
    return { instanceArn: instance.attrArn, instanceId: instance.attrId };
  }

  private constructor() {}
}
