/**
 * Another tool on the same account: it works on security profiles in an instance of its own at a steady
 * rate, so it spends the account's quotas of the operations a deploy competes for. It sends on its own
 * schedule, whatever the throttling (a throttled request ends that round of its work), as a tool with
 * its own retry policy would look from the quota's side.
 *
 * Its work, each tick:
 * - `create-delete` (the default): CreateSecurityProfile, then DeleteSecurityProfile of what it created
 *   (a first deploy's and a stack delete's operations);
 * - `update`: DescribeSecurityProfile, ListSecurityProfilePermissions, ListSecurityProfileApplications,
 *   UpdateSecurityProfile and TagResource on a profile of its own (an update's operations).
 */
import {
  ConnectClient,
  CreateSecurityProfileCommand,
  DeleteSecurityProfileCommand,
  DescribeSecurityProfileCommand,
  ListSecurityProfileApplicationsCommand,
  ListSecurityProfilePermissionsCommand,
  TagResourceCommand,
  UpdateSecurityProfileCommand,
} from '@aws-sdk/client-connect';

/** What the other tool does each tick. */
export type CompetitorWorkload = 'create-delete' | 'update';

/** What the other tool got through. */
export interface CompetitorStats {
  /** Rounds of work started. */
  readonly attempts: number;
  /** Of those, done to the end. */
  readonly completed: number;
  /** Of those, ended by a throttled request. */
  readonly throttled: number;
  /** Any other error (none expected). */
  readonly errors: string[];
}

/** A running competitor. */
export interface Competitor {
  /** Stop sending and wait for requests in flight. */
  stop(): Promise<CompetitorStats>;
}

/**
 * Start the other tool's work at `ratePerSecond` rounds per second.
 *
 * @param client a client with `maxAttempts: 1` (the competitor's requests are seen as they are)
 * @param instanceId the competitor's own instance (with room for the profiles a throttled delete leaves)
 */
export function startCompetitor(client: ConnectClient, instanceId: string, ratePerSecond: number, workload: CompetitorWorkload = 'create-delete'): Competitor {
  let attempts = 0;
  let completed = 0;
  let throttled = 0;
  const errors: string[] = [];
  const inFlight = new Set<Promise<void>>();
  // names unique across competitors on one instance (a throttled delete leaves a profile behind)
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
  let own: Promise<{ id: string; arn: string }> | undefined;
  const ownProfile = () => {
    // the profile the `update` work changes, created (with retries) on first use
    own ??= (async () => {
      for (;;) {
        try {
          const out = await client.send(new CreateSecurityProfileCommand({
            InstanceId: instanceId, SecurityProfileName: `other-tool-${run}`, Permissions: ['BasicAgentAccess'],
          }));
          return { id: out.SecurityProfileId!, arn: out.SecurityProfileArn! };
        } catch (err) {
          if ((err as Error).name !== 'ThrottlingException') throw err;
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
    return own;
  };
  const createDelete = async (n: number) => {
    const out = await client.send(new CreateSecurityProfileCommand({
      InstanceId: instanceId, SecurityProfileName: `other-tool-${run}-${n}`, Permissions: ['BasicAgentAccess'],
    }));
    // keep the instance small; a throttled delete leaves one more profile, which is fine
    await client.send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: out.SecurityProfileId! }))
      .catch((err: Error) => { if (err.name !== 'ThrottlingException') throw err; });
  };
  const update = async (n: number) => {
    const { id, arn } = await ownProfile();
    const ref = { InstanceId: instanceId, SecurityProfileId: id };
    await client.send(new DescribeSecurityProfileCommand(ref));
    await client.send(new ListSecurityProfilePermissionsCommand(ref));
    await client.send(new ListSecurityProfileApplicationsCommand(ref));
    await client.send(new UpdateSecurityProfileCommand({ ...ref, Description: `round ${n}` }));
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { round: String(n) } }));
  };
  const one = async (n: number) => {
    try {
      await (workload === 'update' ? update(n) : createDelete(n));
      completed++;
    } catch (err) {
      if ((err as Error).name === 'ThrottlingException') throttled++;
      else errors.push(`${(err as Error).name}: ${(err as Error).message}`);
    }
  };
  const timer = setInterval(() => {
    const p = one(++attempts);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }, 1000 / ratePerSecond);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return { attempts, completed, throttled, errors };
    },
  };
}
