/**
 * The API docs check (scripts/api-docs-check.ts, run by the build after docgen) finds what it must, and the
 * assembly the build made passes it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { assemblyFindings, markdownFindings } from '../../scripts/api-docs-check';

test('an optional property without @default, and [object Object] in docs, are findings; @default and required props are not', () => {
  const findings = assemblyFindings({
    types: {
      'pkg.FooProps': {
        kind: 'interface',
        datatype: true,
        properties: [
          { name: 'documented', optional: true, docs: { default: '- none' } },
          { name: 'required', docs: {} },
          { name: 'undocumented', optional: true, docs: { summary: 'no default' }, locationInModule: { filename: 'src/foo.ts', line: 7 } },
        ],
      },
      'pkg.Foo': { kind: 'class', docs: { example: 'new Foo();@resource[object Object]' } },
    },
  });
  expect(findings).toEqual([
    "Foo: its docs contain '[object Object]' (a doc tag jsii could not parse; put tags such as @resource before @example)",
    'FooProps.undocumented (src/foo.ts:7): optional, but no @default says what leaving it out means',
  ]);
  expect(markdownFindings('a\n});@resource[object Object]\n', 'API.md')).toEqual(["API.md:2: '[object Object]' in the generated docs"]);
});

test('the built assembly passes: every optional property has @default, no [object Object]', () => {
  const file = path.join(__dirname, '..', '..', '.jsii');
  if (!fs.existsSync(file)) throw new Error('.jsii is missing: run `npx projen compile` (the build compiles before the tests)');
  expect(assemblyFindings(JSON.parse(fs.readFileSync(file, 'utf8')))).toEqual([]);
});
