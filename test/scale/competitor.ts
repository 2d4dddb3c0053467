/**
 * Another tool on the same account: it creates and deletes security profiles in an instance of its
 * own at a steady rate, so it spends the account's CreateSecurityProfile quota that a deploy competes
 * for. It sends on its own schedule, whatever the throttling (a throttled request is simply lost), as
 * a tool with its own retry policy would look from the quota's side.
 */
import { ConnectClient, CreateSecurityProfileCommand, DeleteSecurityProfileCommand } from '@aws-sdk/client-connect';

/** What the other tool got through. */
export interface CompetitorStats {
  /** CreateSecurityProfile requests sent. */
  readonly attempts: number;
  /** Of those, created (then deleted). */
  readonly created: number;
  /** Of those, throttled. */
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
 * Start sending CreateSecurityProfile (each success deleted again) at `ratePerSecond`.
 *
 * @param client a client with `maxAttempts: 1` (the competitor's requests are seen as they are)
 * @param instanceId the competitor's own instance
 */
export function startCompetitor(client: ConnectClient, instanceId: string, ratePerSecond: number): Competitor {
  let attempts = 0;
  let created = 0;
  let throttled = 0;
  const errors: string[] = [];
  const inFlight = new Set<Promise<void>>();
  const one = async (n: number) => {
    try {
      const out = await client.send(new CreateSecurityProfileCommand({
        InstanceId: instanceId, SecurityProfileName: `other-tool-${n}`, Permissions: ['BasicAgentAccess'],
      }));
      created++;
      // the delete spends another operation's quota, not the one measured; keep the instance small
      await client.send(new DeleteSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: out.SecurityProfileId! }))
        .catch(() => undefined);
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
      return { attempts, created, throttled, errors };
    },
  };
}
