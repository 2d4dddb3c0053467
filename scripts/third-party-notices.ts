/**
 * Write the third-party notices of the handler bundle: every package esbuild inlined into
 * assets/handler/index.js (read from the metafile `npx projen bundle:handler` writes), with its version,
 * its license and the text of its license and NOTICE files. The bundle is minified with the packages'
 * own legal comments removed, so this file is where their licenses travel: it sits next to the bundle
 * (assets/handler/THIRD-PARTY-NOTICES.txt), in the npm tarball and in the Lambda asset.
 *
 * Usage: `npx tsx scripts/third-party-notices.ts [--meta <path>] [--out <path>]`
 *
 * Fails (exit 1) when an inlined package declares no license, so an unlicensed package cannot ship
 * unnoticed. License texts shared by many packages (the AWS SDK's Apache-2.0) are printed once.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const repo = path.join(__dirname, '..');

/** esbuild's metafile, the parts read here. */
interface Metafile {
  readonly outputs: Record<string, { readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

/** One inlined package (one folder under node_modules: two versions of a package are two entries). */
export interface BundledPackage {
  readonly name: string;
  readonly version: string;
  /** The SPDX expression of its package.json `license` (or the legacy `licenses` list). */
  readonly license: string;
  /** The texts of its LICENSE / LICENCE / COPYING files. */
  readonly licenseTexts: readonly string[];
  /** The texts of its NOTICE files (Apache-2.0 section 4(d) asks for them to be passed on). */
  readonly noticeTexts: readonly string[];
}

/** The package folders (`node_modules/<pkg>` or `node_modules/@scope/pkg`, innermost) that put bytes in the output. */
export function bundledPackageDirs(meta: Metafile): string[] {
  const dirs = new Set<string>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, info] of Object.entries(output.inputs)) {
      if (info.bytesInOutput === 0) continue;
      const normalized = input.split(path.sep).join('/');
      const idx = normalized.lastIndexOf('node_modules/');
      if (idx < 0) continue; // our own code
      const rest = normalized.slice(idx + 'node_modules/'.length).split('/');
      const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
      dirs.add(normalized.slice(0, idx) + 'node_modules/' + pkg);
    }
  }
  return [...dirs].sort();
}

/** Read a package folder's name, version, license and license/notice files. */
export function readPackage(dir: string): BundledPackage {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    name: string; version: string; license?: string | { type: string }; licenses?: Array<{ type: string }>;
  };
  const license = typeof pkg.license === 'string' ? pkg.license
    : pkg.license?.type ?? pkg.licenses?.map((l) => l.type).join(' OR ') ?? '';
  const files = fs.readdirSync(dir).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
  // LICENSE, LICENSE.md, LICENSE-MIT, NOTICE.txt...; never code that happens to start with the word
  const read = (re: RegExp) => files.filter((f) => re.test(f) && !/\.(c?js|mjs|ts|json|map)$/i.test(f)).map((f) => fs.readFileSync(path.join(dir, f), 'utf8').trim());
  return {
    name: pkg.name,
    version: pkg.version,
    license,
    licenseTexts: read(/^(licen[cs]e|copying)(\.|-|$)/i),
    noticeTexts: read(/^notice(\.|$)/i),
  };
}

/** The notices file: a summary table, then each distinct license text once with the packages under it. */
export function renderNotices(packages: readonly BundledPackage[]): string {
  const lines: string[] = [
    'THIRD-PARTY NOTICES for assets/handler/index.js',
    '',
    'The handler bundle of cdk-connect-security-profiles inlines the following packages (esbuild, minified).',
    'Each is listed with its version and license; the license and NOTICE texts follow.',
    '',
  ];
  const width = Math.max(...packages.map((p) => `${p.name}@${p.version}`.length));
  for (const p of packages) {
    lines.push(`${`${p.name}@${p.version}`.padEnd(width)}  ${p.license}`);
  }
  const byText = new Map<string, { text: string; packages: string[] }>();
  const withoutText: string[] = [];
  for (const p of packages) {
    if (p.licenseTexts.length === 0) withoutText.push(`${p.name}@${p.version} (${p.license})`);
    for (const text of p.licenseTexts) {
      const key = createHash('sha256').update(text.replace(/\s+/g, ' ')).digest('hex');
      const entry = byText.get(key) ?? { text, packages: [] };
      entry.packages.push(`${p.name}@${p.version}`);
      byText.set(key, entry);
    }
  }
  for (const entry of [...byText.values()].sort((a, b) => a.packages[0].localeCompare(b.packages[0]))) {
    lines.push('', '='.repeat(100), `License text of: ${entry.packages.join(', ')}`, '-'.repeat(100), entry.text);
  }
  if (withoutText.length > 0) {
    lines.push('', '='.repeat(100),
      'These packages ship no license file; their package.json declares the license shown:', ...withoutText);
  }
  for (const p of packages) {
    for (const text of p.noticeTexts) {
      lines.push('', '='.repeat(100), `NOTICE of ${p.name}@${p.version}`, '-'.repeat(100), text);
    }
  }
  return lines.join('\n') + '\n';
}

function main(argv: string[]): number {
  const arg = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const metaPath = arg('--meta', path.join(repo, 'assets', 'handler.meta.json'));
  const outPath = arg('--out', path.join(repo, 'assets', 'handler', 'THIRD-PARTY-NOTICES.txt'));
  if (!fs.existsSync(metaPath)) {
    console.error(`${metaPath} is missing: run \`npx projen bundle:handler\`, which writes it`);
    return 1;
  }
  const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as Metafile;
  // metafile inputs are relative to the working directory esbuild ran in (the repository root)
  const packages = bundledPackageDirs(meta).map((d) => readPackage(path.resolve(repo, d)))
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const unlicensed = packages.filter((p) => !p.license);
  if (unlicensed.length > 0) {
    console.error(`inlined packages without a license in package.json: ${unlicensed.map((p) => `${p.name}@${p.version}`).join(', ')}; `
      + 'find their license, or keep them out of the bundle');
    return 1;
  }
  fs.writeFileSync(outPath, renderNotices(packages));
  const licenses = [...new Set(packages.map((p) => p.license))].sort().join(', ');
  console.log(`${path.relative(repo, outPath)}: ${packages.length} packages (${licenses}), ${fs.statSync(outPath).size} bytes`);
  return 0;
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
