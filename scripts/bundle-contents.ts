/**
 * List what the handler bundle (assets/handler/index.js) includes, from the esbuild metafile that
 * `npx projen bundle:handler` writes to assets/handler.meta.json.
 *
 * Usage: `npx tsx scripts/bundle-contents.ts [--meta <path>] [--check] [--json]`
 *
 * Prints one row per package (our own code counts as `(ours) lambda/` and `(ours) src/`): files and
 * bytes in the output. `--check` fails (exit 1) when the bundle holds anything outside the allow-list
 * below: the construct library (aws-cdk-lib, constructs), test code, or a package nobody chose.
 */
import * as fs from 'fs';
import * as path from 'path';

/** esbuild's metafile, the parts read here. */
interface Metafile {
  readonly inputs: Record<string, { readonly bytes: number }>;
  readonly outputs: Record<string, { readonly bytes: number; readonly inputs: Record<string, { readonly bytesInOutput: number }> }>;
}

/** One row of the listing. */
export interface BundlePart {
  /** A package name (`@aws-sdk/client-connect`) or `(ours) lambda/`, `(ours) src/`. */
  readonly name: string;
  readonly files: number;
  readonly bytesInOutput: number;
}

/**
 * What the handler may contain, and why. Anything else is reported by `--check`.
 */
export const ALLOWED_PARTS: ReadonlyArray<{ readonly pattern: RegExp; readonly why: string }> = [
  { pattern: /^\(ours\) lambda\/$/, why: 'the handler itself' },
  { pattern: /^\(ours\) src\/private\/contract\.ts$/, why: 'the wire contract (constants and types only)' },
  { pattern: /^\(ours\) src\/private\/arns\.ts$/, why: 'the ARN grammar the handler parses, shared with the construct (pure functions only)' },
  { pattern: /^\(ours\) src\/private\/metric-names\.ts$/, why: "the reconciler's metric names, shared with the construct (constants only)" },
  { pattern: /^\(ours\) src\/private\/change-event-names\.ts$/, why: 'the Connect calls whose change events the reconciler checks (constants only)' },
  { pattern: /^\(ours\) src\/private\/connect-operations\.ts$/, why: 'the Connect operations the gateway may send, which IAM grants (constants only)' },
  { pattern: /^\(ours\) src\/private\/limits\.ts$/, why: "Connect's limits on a profile, shared with the construct (constants only)" },
  { pattern: /^\(ours\) src\/private\/assignment-contract\.ts$/, why: 'the wire contract of assignments (constants and types only)' },
  { pattern: /^\(ours\) src\/search\/(rules|enums|user-search-criteria|user-attribute-filter|tag-filter|user-search-filter)\.ts$/, why: 'the pure SearchUsers rules and builders (no SDK, no aws-cdk-lib)' },
  { pattern: /^@aws-sdk\//, why: 'the Connect and DynamoDB clients and their runtime (inlined, not taken from the Lambda runtime)' },
  { pattern: /^@smithy\//, why: 'the SDK runtime (HTTP, retries, serde)' },
  { pattern: /^@aws-crypto\//, why: 'SigV4 hashing and checksums used by the SDK' },
  { pattern: /^@aws-lambda-powertools\//, why: 'structured logs and EMF metrics' },
  { pattern: /^(tslib|fast-xml-parser|strnum|uuid|@aws\/lambda-invoke-store)$/, why: 'dependencies of the SDK or Powertools' },
  { pattern: /^bowser$/, why: "browser user-agent parsing pulled in by @aws-sdk/core's util-user-agent-browser (dead code on Node)" },
  { pattern: /^(mnemonist|obliterator)$/, why: "the LRU cache of the DynamoDB client's endpoint discovery (@aws-sdk/endpoint-cache), for the drift reconciler's table" },
];

/** Group the inputs of the bundle's output by package. */
export function bundleParts(meta: Metafile): BundlePart[] {
  const parts = new Map<string, { files: number; bytes: number }>();
  for (const output of Object.values(meta.outputs)) {
    for (const [input, info] of Object.entries(output.inputs)) {
      const name = partName(input);
      const part = parts.get(name) ?? { files: 0, bytes: 0 };
      part.files++;
      part.bytes += info.bytesInOutput;
      parts.set(name, part);
    }
  }
  return [...parts.entries()]
    .map(([name, p]) => ({ name, files: p.files, bytesInOutput: p.bytes }))
    .sort((a, b) => b.bytesInOutput - a.bytesInOutput || a.name.localeCompare(b.name));
}

/** The package an input path belongs to (the innermost `node_modules/<pkg>`), or our own folder. */
export function partName(input: string): string {
  const normalized = input.split(path.sep).join('/');
  const idx = normalized.lastIndexOf('node_modules/');
  if (idx >= 0) {
    const rest = normalized.slice(idx + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (normalized.startsWith('lambda/')) return '(ours) lambda/';
  return `(ours) ${normalized}`;
}

/** The parts no allow-list entry explains. */
export function unexpectedParts(parts: readonly BundlePart[]): BundlePart[] {
  return parts.filter((p) => !ALLOWED_PARTS.some((a) => a.pattern.test(p.name)));
}

function main(argv: string[]): number {
  const metaIdx = argv.indexOf('--meta');
  const metaPath = metaIdx >= 0 ? argv[metaIdx + 1] : path.join(__dirname, '..', 'assets', 'handler.meta.json');
  if (!fs.existsSync(metaPath)) {
    process.stderr.write(`bundle-contents: ${metaPath} not found; run \`npx projen bundle:handler\` first\n`);
    return 2;
  }
  const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as Metafile;
  const parts = bundleParts(meta);
  const total = parts.reduce((sum, p) => sum + p.bytesInOutput, 0);
  const outputBytes = Object.values(meta.outputs).reduce((sum, o) => sum + o.bytes, 0);
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify({ outputBytes, parts }, null, 2)}\n`);
  } else {
    process.stdout.write(`handler bundle: ${outputBytes} bytes, ${parts.length} parts\n\n`);
    process.stdout.write('| part | files | bytes in bundle | share | why it is there |\n|---|---:|---:|---:|---|\n');
    for (const p of parts) {
      const why = ALLOWED_PARTS.find((a) => a.pattern.test(p.name))?.why ?? '**not on the allow-list**';
      process.stdout.write(`| ${p.name} | ${p.files} | ${p.bytesInOutput} | ${((100 * p.bytesInOutput) / Math.max(1, total)).toFixed(1)} % | ${why} |\n`);
    }
  }
  const unexpected = unexpectedParts(parts);
  if (argv.includes('--check') && unexpected.length > 0) {
    process.stderr.write(`bundle-contents: unexpected parts in the handler bundle: ${unexpected.map((p) => p.name).join(', ')}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
