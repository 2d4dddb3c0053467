/**
 * Check the public API's documentation as users read it (the jsii assembly `.jsii`, from which API.md,
 * Construct Hub and the other languages' docstrings are made):
 * - every optional property (of props structs, classes and interfaces) says what leaving it out means, with
 *   an `@default` (a value, or `- ` and the behaviour);
 * - no doc text or API.md line contains `[object Object]` (what a tag jsii cannot parse turns into, for
 *   example a tag after `@example`).
 *
 * Usage: `npx tsx scripts/api-docs-check.ts [--assembly .jsii] [--api API.md]` (after `npx projen compile`
 * and docgen); exits 1 with one line per finding.
 */
import * as fs from 'fs';
import * as path from 'path';

interface Docs { readonly default?: string; readonly [key: string]: unknown }
interface Property {
  readonly name: string;
  readonly optional?: boolean;
  readonly docs?: Docs;
  readonly locationInModule?: { filename: string; line: number };
}
interface Type {
  readonly kind: string;
  readonly datatype?: boolean;
  readonly docs?: Docs;
  readonly properties?: readonly Property[];
  readonly methods?: ReadonlyArray<{ name: string; docs?: Docs }>;
}
interface Assembly { readonly types: Record<string, Type> }

/** One line per problem found in the assembly. */
export function assemblyFindings(assembly: Assembly): string[] {
  const findings: string[] = [];
  for (const [fqn, type] of Object.entries(assembly.types).sort(([a], [b]) => a.localeCompare(b))) {
    const name = fqn.split('.').slice(1).join('.');
    for (const prop of type.properties ?? []) {
      const where = prop.locationInModule ? ` (${prop.locationInModule.filename}:${prop.locationInModule.line})` : '';
      if (prop.optional && !prop.docs?.default) {
        findings.push(`${name}.${prop.name}${where}: optional, but no @default says what leaving it out means`);
      }
    }
    const docs: Array<[string, Docs | undefined]> = [[name, type.docs],
      ...(type.properties ?? []).map((p): [string, Docs | undefined] => [`${name}.${p.name}`, p.docs]),
      ...(type.methods ?? []).map((m): [string, Docs | undefined] => [`${name}.${m.name}()`, m.docs])];
    for (const [where, d] of docs) {
      if (d && JSON.stringify(d).includes('[object Object]')) {
        findings.push(`${where}: its docs contain '[object Object]' (a doc tag jsii could not parse; put tags such as @resource before @example)`);
      }
    }
  }
  return findings;
}

/** One line per API.md line that shows `[object Object]`. */
export function markdownFindings(markdown: string, file: string): string[] {
  return markdown.split('\n').flatMap((line, i) =>
    line.includes('[object Object]') ? [`${file}:${i + 1}: '[object Object]' in the generated docs`] : []);
}

function main(argv: string[]): number {
  const arg = (flag: string, fallback: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : fallback;
  };
  const root = path.join(__dirname, '..');
  const assemblyPath = arg('--assembly', path.join(root, '.jsii'));
  const apiPath = arg('--api', path.join(root, 'API.md'));
  const assembly = JSON.parse(fs.readFileSync(assemblyPath, 'utf8')) as Assembly;
  const findings = [
    ...assemblyFindings(assembly),
    ...(fs.existsSync(apiPath) ? markdownFindings(fs.readFileSync(apiPath, 'utf8'), path.relative(root, apiPath)) : []),
  ];
  for (const f of findings) console.error(f);
  const props = Object.values(assembly.types).reduce((n, t) => n + (t.properties?.length ?? 0), 0);
  console.log(`API docs: ${Object.keys(assembly.types).length} types, ${props} properties, ${findings.length} finding(s)`);
  return findings.length === 0 ? 0 : 1;
}

if (require.main === module) {
  process.exit(main(process.argv.slice(2)));
}
