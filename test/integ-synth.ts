/**
 * Synthesizes every integration test app (test/integ.*.ts) into a temporary directory and fails on a
 * synthesis error or an error annotation. integ-runner cannot read this aws-cdk-lib's cloud assemblies
 * yet, so this is how CI proves the integ tests are ready for a real account.
 *
 *   npx projen integ:synth
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readAssembly } from '../local/cloudformation/assembly';

const repo = path.join(__dirname, '..');
const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');
const apps = fs.readdirSync(__dirname).filter((f) => /^integ\..+\.ts$/.test(f)).sort();

let failed = 0;
for (const file of apps) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-synth-'));
  try {
    const result = spawnSync(tsx, [path.join(__dirname, file)], {
      cwd: repo,
      env: { ...process.env, CDK_OUTDIR: outdir },
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      failed++;
      process.stderr.write(`integ:synth ${file}: synthesis failed (exit ${result.status})\n${result.stderr}\n`);
      continue;
    }
    // the annotations are in the manifest or, in newer assemblies, in a metadata file beside it
    const stacks = readAssembly(outdir);
    const errors = stacks.flatMap((st) => st.errors.map((e) => `${e.path}: ${e.message}`));
    const warnings = stacks.flatMap((st) => st.warnings.map((w) => `${w.path}: ${w.message}${w.id ? ` [ack: ${w.id}]` : ''}`));
    if (stacks.length === 0 || errors.length > 0) {
      failed++;
      process.stderr.write(`integ:synth ${file}: ${stacks.length === 0 ? 'no stack synthesized' : errors.join('\n')}\n`);
      continue;
    }
    for (const w of warnings) process.stdout.write(`integ:synth ${file}: warning ${w}\n`);
    process.stdout.write(`integ:synth ${file}: ok (${stacks.map((st) => st.artifactId).join(', ')})\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

process.stdout.write(`integ:synth: ${apps.length - failed} passed, ${failed} failed\n`);
if (apps.length === 0 || failed > 0) process.exit(1);
