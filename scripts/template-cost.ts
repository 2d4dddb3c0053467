/**
 * What a security profile costs in a CloudFormation template: synthesizes small stacks and prints their
 * resource counts (by type) and template sizes, for README "Why a custom resource, and what it costs".
 *
 *   npx tsx scripts/template-cost.ts          a Markdown table
 *   npx tsx scripts/template-cost.ts --json   the figures as JSON
 *
 * Cases: one `SecurityProfile` with the defaults (drift reconciliation on); one with drift off; ten with the
 * defaults (what each further profile adds); one plain `aws-connect.CfnSecurityProfile` with the same
 * fields. Sizes are the template file as `cdk synth` writes it into cdk.out (what is uploaded) and as
 * compact JSON; the handler's code is an asset beside the template, counted separately.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CfnSecurityProfile } from 'aws-cdk-lib/aws-connect';
import { DriftReconciliation, Instance, Permission, SecurityProfile } from '../src';

const INSTANCE_ARN = 'arn:aws:connect:eu-west-2:111122223333:instance/aaaabbbb-cccc-dddd-eeee-ffff00001111';
const PERMISSIONS = [Permission.BASIC_AGENT_ACCESS, Permission.OUTBOUND_CALL_ACCESS];

/** The figures of one case. */
export interface TemplateCost {
  readonly name: string;
  readonly profiles: number;
  readonly resources: number;
  /** Resource count by type, most first. */
  readonly byType: Record<string, number>;
  /** Bytes of the template file in cdk.out. */
  readonly templateBytes: number;
  /** Bytes of the template as compact JSON. */
  readonly compactBytes: number;
  /** Bytes of the file assets the stack publishes (the handler bundle and its notices). */
  readonly assetBytes: number;
}

type Build = (stack: Stack) => void;

export const CASES: ReadonlyArray<{ name: string; profiles: number; build: Build }> = [
  {
    name: '`SecurityProfile`, defaults (drift reconciliation on)',
    profiles: 1,
    build: (stack) => profile(stack, 'Agents'),
  },
  {
    name: '`SecurityProfile`, `driftReconciliation: DriftReconciliation.disabled()`',
    profiles: 1,
    build: (stack) => profile(stack, 'Agents', DriftReconciliation.disabled()),
  },
  {
    name: '10 × `SecurityProfile`, defaults',
    profiles: 10,
    build: (stack) => {
      for (let i = 0; i < 10; i++) profile(stack, `Agents${i}`);
    },
  },
  {
    name: '`aws-connect.CfnSecurityProfile` (L1)',
    profiles: 1,
    build: (stack) => {
      new CfnSecurityProfile(stack, 'Agents', {
        instanceArn: INSTANCE_ARN,
        securityProfileName: 'Agents',
        description: 'Take contacts',
        permissions: PERMISSIONS.map((p) => p.name),
        tags: [{ key: 'team', value: 'support' }],
      });
    },
  },
];

function profile(stack: Stack, id: string, driftReconciliation?: DriftReconciliation): void {
  const instance = (stack.node.tryFindChild('Instance') as ReturnType<typeof Instance.fromInstanceArn> | undefined)
    ?? Instance.fromInstanceArn(stack, 'Instance', INSTANCE_ARN);
  new SecurityProfile(stack, id, {
    instance,
    securityProfileName: id,
    description: 'Take contacts',
    permissions: PERMISSIONS,
    tags: { team: 'support' },
    driftReconciliation,
  });
}

/** Synthesize one case into a temporary cdk.out and measure it. */
export function measure(name: string, profiles: number, build: Build): TemplateCost {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'template-cost-'));
  try {
    // no AWS::CDK::Metadata resource: the figures are what the library adds, not what the CLI reports
    const app = new App({ outdir, analyticsReporting: false });
    const stack = new Stack(app, 'Cost', { env: { account: '111122223333', region: 'eu-west-2' } });
    build(stack);
    const assembly = app.synth();
    const artifact = assembly.getStackByName('Cost');
    const file = path.join(outdir, artifact.templateFile);
    const template = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources: Record<string, { Type: string }> };
    const byType: Record<string, number> = {};
    for (const r of Object.values(template.Resources)) byType[r.Type] = (byType[r.Type] ?? 0) + 1;
    const assets = JSON.parse(fs.readFileSync(path.join(outdir, 'Cost.assets.json'), 'utf8')) as {
      files?: Record<string, { source: { path: string } }>;
    };
    const assetBytes = Object.entries(assets.files ?? {})
      .filter(([, a]) => !a.source.path.endsWith('.template.json'))
      .reduce((n, [, a]) => n + sizeOf(path.join(outdir, a.source.path)), 0);
    return {
      name,
      profiles,
      resources: Object.keys(template.Resources).length,
      byType: Object.fromEntries(Object.entries(byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
      templateBytes: fs.statSync(file).size,
      compactBytes: Buffer.byteLength(JSON.stringify(template)),
      assetBytes,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function sizeOf(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.size;
  return fs.readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0);
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

function main(argv: string[]): number {
  const costs = CASES.map((c) => measure(c.name, c.profiles, c.build));
  if (argv.includes('--json')) {
    console.log(JSON.stringify(costs, null, 2));
    return 0;
  }
  console.log('| Stack | Resources | Template (cdk.out) | Compact JSON | Assets |');
  console.log('|---|---:|---:|---:|---:|');
  for (const c of costs) {
    console.log(`| ${c.name} | ${c.resources} | ${kb(c.templateBytes)} | ${kb(c.compactBytes)} | ${c.assetBytes ? kb(c.assetBytes) : '-'} |`);
  }
  console.log('');
  for (const c of costs) {
    console.log(`- ${c.name}: ${Object.entries(c.byType).map(([t, n]) => `${n} ${t}`).join(', ')}`);
  }
  return 0;
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
