/**
 * The handler bundle ships with the notices of what it inlines: assets/handler/THIRD-PARTY-NOTICES.txt
 * (written by `npx projen bundle:handler`, which the build runs before the tests) names every package of
 * the bundle's metafile with its license, and carries each package's license text (or says it has none).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bundledPackageDirs, readPackage, renderNotices } from '../../scripts/third-party-notices';

const repo = path.join(__dirname, '..', '..');
const META = path.join(repo, 'assets', 'handler.meta.json');
const NOTICES = path.join(repo, 'assets', 'handler', 'THIRD-PARTY-NOTICES.txt');

function built(file: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  return fs.readFileSync(file, 'utf8');
}

test('every package the bundle inlines is named in the notices with its version and license', () => {
  const dirs = bundledPackageDirs(JSON.parse(built(META)));
  const notices = built(NOTICES);
  expect(dirs.length).toBeGreaterThan(10);
  for (const dir of dirs) {
    const pkg = readPackage(path.resolve(repo, dir));
    expect(pkg.license).not.toEqual('');
    expect(notices).toMatch(new RegExp(`^${escape(`${pkg.name}@${pkg.version}`)} +${escape(pkg.license)}$`, 'm'));
  }
  expect(notices).toContain('@aws-sdk/client-connect@');
  expect(notices).toContain('Apache License');
});

test('a license text is printed once for all the packages that share it; a package without one is listed as such', () => {
  const text = renderNotices([
    { name: 'a', version: '1.0.0', license: 'MIT', licenseTexts: ['MIT License\n\nCopyright (c) A'], noticeTexts: [] },
    { name: 'b', version: '2.0.0', license: 'Apache-2.0', licenseTexts: ['Apache License 2.0 text'], noticeTexts: ['B NOTICE: made by B'] },
    { name: 'c', version: '3.0.0', license: 'Apache-2.0', licenseTexts: ['Apache   License 2.0\ntext'], noticeTexts: [] },
    { name: 'd', version: '4.0.0', license: 'MIT-0', licenseTexts: [], noticeTexts: [] },
  ]);
  expect(text.match(/Apache License 2\.0 text/g)).toHaveLength(1);
  expect(text).toContain('License text of: b@2.0.0, c@3.0.0');
  expect(text).toContain('License text of: a@1.0.0');
  expect(text).toContain('NOTICE of b@2.0.0');
  expect(text).toContain('B NOTICE: made by B');
  expect(text).toMatch(/ship no license file[^\n]*\nd@4\.0\.0 \(MIT-0\)/);
});

test('only packages that put bytes in the output count, the innermost node_modules folder names the package', () => {
  const dirs = bundledPackageDirs({
    outputs: {
      'assets/handler/index.js': {
        inputs: {
          'lambda/index.ts': { bytesInOutput: 100 },
          'node_modules/@smithy/core/dist-cjs/index.js': { bytesInOutput: 10 },
          'node_modules/@aws-sdk/core/node_modules/@smithy/core/dist-cjs/a.js': { bytesInOutput: 10 },
          'node_modules/tslib/tslib.es6.js': { bytesInOutput: 0 },
        },
      },
    },
  });
  expect(dirs).toEqual(['node_modules/@aws-sdk/core/node_modules/@smithy/core', 'node_modules/@smithy/core']);
});

test('license and notice files are found by their usual names', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'notices-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.2.3', licenses: [{ type: 'BSD-2-Clause' }] }));
    fs.writeFileSync(path.join(dir, 'LICENCE.md'), 'licence text');
    fs.writeFileSync(path.join(dir, 'NOTICE'), 'notice text');
    fs.writeFileSync(path.join(dir, 'license-checker.js'), 'not a license');
    expect(readPackage(dir)).toEqual({
      name: 'x', version: '1.2.3', license: 'BSD-2-Clause', licenseTexts: ['licence text'], noticeTexts: ['notice text'],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
