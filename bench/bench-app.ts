/**
 * The app the benchmarks synthesize: N security profiles written with this library's L2
 * (`variant=l2`) or with aws-cdk-lib's `aws_connect.CfnSecurityProfile` (`variant=cfn`), with the same
 * content, spread over instances and stacks as Connect's and CloudFormation's quotas require.
 *
 * Layout: at most `perInstance` profiles per instance (Connect's default quota is 100 profiles per
 * instance, 4 of which are the instance's default profiles), one stack per instance (CloudFormation
 * allows 500 resources per stack).
 *
 * Context: `variant` (`l2` | `cfn`), `profiles` (N), `perInstance` (default 90), `instanceArns`
 * (comma-separated; default placeholder ARNs), `drift` (`remediate` | `default`, L2 only; default:
 * the construct's default), `singleStack` (`true`: every instance's profiles in one stack, so one
 * reconciler sweeps them all). Prints one JSON line with timings measured inside the process.
 */
const started = performance.now();
const startedCpu = process.cpuUsage();

import { createRequire } from 'node:module';

/** How many profiles each instance gets. */
export function spreadOverInstances(profiles: number, perInstance: number): number[] {
  const counts: number[] = [];
  for (let left = profiles; left > 0; left -= perInstance) {
    counts.push(Math.min(perInstance, left));
  }
  return counts;
}

/** The permissions of profile `i` (five of a fixed list, rotating). */
export function permissionsOf(i: number): string[] {
  const all = [
    'BasicAgentAccess', 'OutboundCallAccess', 'TransferDestinations.View', 'Users.View', 'AgentGrouping.View',
    'AccessMetrics', 'ContactSearch.View', 'ManagerListenIn', 'ManagerBargeIn', 'Queues.View',
  ];
  return Array.from({ length: 5 }, (_, k) => all[(i + k) % all.length]).sort();
}

/** The name of profile `i`. */
export function profileNameOf(i: number): string {
  return `Bench-Profile-${String(i).padStart(4, '0')}`;
}

function main(): void {
  // modules are loaded here, after the clock started, so their load time is measured
  const load = createRequire(__filename);
  const cdk = load('aws-cdk-lib') as typeof import('aws-cdk-lib');
  const app = new cdk.App();
  const ctx = (key: string) => app.node.tryGetContext(key) as string | undefined;
  const variant = ctx('variant') ?? 'l2';
  const n = Number(ctx('profiles') ?? '10');
  const perInstance = Number(ctx('perInstance') ?? '90');
  const counts = spreadOverInstances(n, perInstance);
  const arns = ctx('instanceArns')?.split(',')
    ?? counts.map((_, k) => `arn:aws:connect:us-east-1:123456789012:instance/00000000-0000-4000-8000-${String(k).padStart(12, '0')}`);
  if (arns.length < counts.length) {
    throw new Error(`bench app: ${n} profiles need ${counts.length} instances (${perInstance} per instance), got ${arns.length} instanceArns`);
  }

  const singleStack = ctx('singleStack') === 'true';
  const stackFor = (k: number) => {
    const id = singleStack ? 'Bench0' : `Bench${k}`;
    return (app.node.tryFindChild(id) as InstanceType<typeof cdk.Stack> | undefined)
      ?? new cdk.Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
  };

  const loaded = performance.now();
  let index = 0;
  if (variant === 'cfn') {
    const { CfnSecurityProfile } = load('aws-cdk-lib/aws-connect') as typeof import('aws-cdk-lib/aws-connect');
    const libLoaded = performance.now();
    counts.forEach((count, k) => {
      const stack = stackFor(k);
      for (let j = 0; j < count; j++, index++) {
        new CfnSecurityProfile(stack, `P${index}`, {
          instanceArn: arns[k],
          securityProfileName: profileNameOf(index),
          description: `benchmark profile ${index}`,
          permissions: permissionsOf(index),
          allowedAccessControlTags: [{ key: 'Tier', value: String(index % 3) }],
          tagRestrictedResources: ['User'],
          tags: [{ key: 'team', value: 'bench' }],
        });
      }
    });
    report(app, variant, n, loaded, libLoaded);
  } else {
    const lib = load('../src') as typeof import('../src/index.js');
    const libLoaded = performance.now();
    const drift = ctx('drift') === 'remediate' ? { driftReconciliation: remediate(lib) } : {};
    counts.forEach((count, k) => {
      const stack = stackFor(k);
      const instance = lib.Instance.fromInstanceArn(stack, `Instance${k}`, arns[k]);
      for (let j = 0; j < count; j++, index++) {
        new lib.SecurityProfile(stack, `P${index}`, {
          instance,
          securityProfileName: profileNameOf(index),
          description: `benchmark profile ${index}`,
          permissions: permissionsOf(index).map((p) => lib.Permission.of(p)),
          tagAccessControl: lib.TagAccessControl.restrictToTagged({ Tier: String(index % 3) }, [lib.TagRestrictedResource.USER]),
          tags: { team: 'bench' },
          ...drift,
        });
      }
    });
    report(app, variant, n, loaded, libLoaded);
  }
}

function remediate(lib: typeof import('../src/index.js')): import('../src/index.js').DriftReconciliation {
  const drift = (lib as unknown as Record<string, { remediate?: () => unknown } | undefined>).DriftReconciliation;
  if (!drift?.remediate) {
    throw new Error('bench app: drift=remediate needs DriftReconciliation.remediate() exported from src/');
  }
  return drift.remediate() as import('../src/index.js').DriftReconciliation;
}

function report(app: import('aws-cdk-lib').App, variant: string, n: number, loaded: number, libLoaded: number): void {
  const constructed = performance.now();
  app.synth();
  const synthesized = performance.now();
  const cpu = process.cpuUsage(startedCpu);
  console.log(JSON.stringify({
    variant,
    profiles: n,
    /** CPU time (user + system) over the same span: what the machine's other work disturbs least. */
    cpuMs: (cpu.user + cpu.system) / 1000,
    /** From the app's first line to the end of synthesis: library load, construction and synthesis. */
    appMs: synthesized - started,
    cdkLoadMs: loaded - started,
    libraryLoadMs: libLoaded - loaded,
    constructMs: constructed - libLoaded,
    synthMs: synthesized - constructed,
  }));
}

if (require.main === module) {
  main();
}
