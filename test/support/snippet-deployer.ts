/**
 * Deploying README snippets as written: the local AWS (the Connect emulator and dynalite), the local
 * CloudFormation player with the bundled handler, and a work folder, set up once per test file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appFromSnippet } from './readme-snippets';
import { type LocalAws, startLocalAws } from '../../local/aws';
import { readAssembly } from '../../local/cloudformation/assembly';
import { CloudFormationPlayer, type StackOperation } from '../../local/cloudformation/player';
import { synthesizeInFreshProcess } from '../../local/synth';

const ROOT = path.join(__dirname, '..', '..');

/** The stack name the rosetta fixture gives a snippet's stack. */
export const SNIPPET_STACK = 'ReadmeSnippet';

/** What a test file deploys snippets with (valid inside its tests). */
export interface SnippetDeployer {
  readonly aws: LocalAws;
  readonly player: CloudFormationPlayer;
  /** Synthesize the snippet in a fresh process with `instanceArn` in its context, and deploy its stack. */
  deploy(name: string, snippet: string, instanceArn: string): Promise<StackOperation>;
}

/** Register the file's beforeAll/afterAll and return the deployer they set up. */
export function snippetDeployer(workdirPrefix: string): SnippetDeployer {
  let aws: LocalAws | undefined;
  let player: CloudFormationPlayer | undefined;
  let workdir: string | undefined;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'assets', 'handler', 'index.js'))) {
      throw new Error('assets/handler/index.js is missing: run `npx projen bundle:handler` (the build runs it before the tests)');
    }
    aws = await startLocalAws();
    player = new CloudFormationPlayer({
      services: { connect: aws.connect, dynamodb: aws.dynamodb, region: aws.region, accountId: aws.accountId, partition: 'aws' },
      functionEnvironment: aws.functionEnvironment,
    });
    fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    workdir = fs.mkdtempSync(path.join(ROOT, '.tmp', `${workdirPrefix}-`));
  });

  afterAll(async () => {
    await player?.stop();
    await aws?.stop();
    if (workdir) fs.rmSync(workdir, { recursive: true, force: true });
  });

  return {
    get aws() {
      if (!aws) throw new Error('the local AWS is started in beforeAll: use it inside a test');
      return aws;
    },
    get player() {
      if (!player) throw new Error('the player is started in beforeAll: use it inside a test');
      return player;
    },
    async deploy(name, snippet, instanceArn) {
      const entry = path.join(workdir!, `${name}.ts`);
      fs.writeFileSync(entry, appFromSnippet(snippet));
      const outdir = path.join(workdir!, `${name}.out`);
      await synthesizeInFreshProcess({ entry, outdir, context: { instanceArn } });
      const stack = readAssembly(outdir).find((s) => s.stackName === SNIPPET_STACK);
      if (!stack) throw new Error(`${SNIPPET_STACK} is not in the synthesized assembly`);
      return player!.deploy(stack);
    },
  };
}

/** The operations of a stack operation that failed, as `logicalId: reason`. */
export const failures = (op: StackOperation): string[] => op.operations.filter((o) => !o.ok).map((o) => `${o.logicalId}: ${o.reason}`);
