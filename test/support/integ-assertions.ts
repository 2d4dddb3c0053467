/**
 * What the integration test apps assert about a deployed security profile, read back from Connect with the
 * integ-tests `awsApiCall` assertions.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { ISecurityProfile } from '../../src';

/** What Connect must hold for one profile. */
export interface LiveProfileExpectation {
  /** Matched (`objectLike`) against DescribeSecurityProfile's `SecurityProfile`. */
  readonly described: Record<string, unknown>;
  /** Matched against ListSecurityProfilePermissions' `Permissions` (a list, or a matcher such as `Match.arrayWith`). */
  readonly permissions?: unknown;
}

/** Asserts the profile as Connect describes it and, when given, its permissions. */
export function expectLiveProfile(integ: IntegTest, profile: ISecurityProfile, instanceId: string, expected: LiveProfileExpectation): void {
  const ids = { InstanceId: instanceId, SecurityProfileId: profile.securityProfileId };
  integ.assertions
    .awsApiCall('Connect', 'DescribeSecurityProfile', ids)
    .expect(ExpectedResult.objectLike({ SecurityProfile: expected.described }));
  if (expected.permissions !== undefined) {
    integ.assertions
      .awsApiCall('Connect', 'ListSecurityProfilePermissions', ids)
      .expect(ExpectedResult.objectLike({ Permissions: expected.permissions }));
  }
}
