/**
 * Security profile ARNs: the physical resource id of `Custom::ConnectSecurityProfile`.
 */

/** The parts of a security profile ARN. */
export interface SecurityProfileArnParts {
  /** The full ARN. */
  readonly arn: string;
  /** The instance id. */
  readonly instanceId: string;
  /** The security profile id. */
  readonly securityProfileId: string;
}

const SECURITY_PROFILE_ARN = /^arn:aws[a-z-]*:connect:[a-z0-9-]+:\d{12}:instance\/([A-Za-z0-9-]{1,100})\/security-profile\/([A-Za-z0-9-]{1,256})$/;

/**
 * Parse `arn:<partition>:connect:<region>:<account>:instance/<instanceId>/security-profile/<id>`.
 *
 * @returns the parts, or `undefined` when the value is not a security profile ARN (for example the
 * placeholder physical id of a Create that failed)
 */
export function parseSecurityProfileArn(value: unknown): SecurityProfileArnParts | undefined {
  if (typeof value !== 'string') return undefined;
  const m = SECURITY_PROFILE_ARN.exec(value);
  return m ? { arn: value, instanceId: m[1], securityProfileId: m[2] } : undefined;
}
