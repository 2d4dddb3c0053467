/**
 * README snippets as runnable apps: the first ```ts block of a README section, put into a rosetta fixture
 * (rosetta/*.ts-fixture) the way jsii-rosetta assembles it, with the package's name pointing at src/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** The first ```ts block under a README heading. */
export function readmeSnippet(heading: string): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "## ${heading}"`);
  const next = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, next < 0 ? undefined : next);
  const block = /\n```ts[^\n]*\n([\s\S]*?)\n```/.exec(section);
  if (!block) throw new Error(`README section "${heading}" has no \`\`\`ts block`);
  return block[1];
}

/**
 * A runnable app: the snippet in the fixture, as jsii-rosetta assembles it, with the package's name
 * pointing at src/.
 */
export function appFromSnippet(snippet: string, fixtureName = 'default'): string {
  const fixture = fs.readFileSync(path.join(ROOT, 'rosetta', `${fixtureName}.ts-fixture`), 'utf8');
  const imports: string[] = [];
  const body = snippet.replace(/^import[\s\S]*?from\s+'[^']+';\n/gm, (statement) => {
    imports.push(statement);
    return '';
  });
  const src = path.join(ROOT, 'src', 'index').split(path.sep).join('/');
  const app = `${imports.join('')}${fixture.replace(/^[ \t]*\/\/\/ here[ \t]*$/m, () => body)}`;
  return app.replace(/from '(cdk-connect-security-profiles)'/g, `from '${src}'`);
}
