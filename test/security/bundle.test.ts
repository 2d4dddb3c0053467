/**
 * The handler bundle (assets/handler/index.js, built by `npx projen bundle:handler` before the tests)
 * contains only what the handler needs: every part is on the allow-list of scripts/bundle-contents.ts
 * (run the script to see the listing), and nothing of the construct library or the tests got in.
 */
import * as fs from 'fs';
import * as path from 'path';
import { bundleParts, unexpectedParts } from '../../scripts/bundle-contents';

const META = path.join(__dirname, '..', '..', 'assets', 'handler.meta.json');

function parts() {
  if (!fs.existsSync(META)) {
    throw new Error(`${META} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  return bundleParts(JSON.parse(fs.readFileSync(META, 'utf8')));
}

test('every part of the handler bundle is on the allow-list', () => {
  expect(unexpectedParts(parts()).map((p) => p.name)).toEqual([]);
});

test('the bundle holds the handler and the Connect client, and nothing of aws-cdk-lib, constructs or test code', () => {
  const names = parts().map((p) => p.name);
  expect(names).toEqual(expect.arrayContaining(['(ours) lambda/', '@aws-sdk/client-connect']));
  for (const name of names) {
    expect(name).not.toMatch(/^(aws-cdk-lib|constructs|fast-check|dynalite|jest|ts-jest|@aws-cdk\/)/);
    expect(name).not.toMatch(/^\(ours\) (test|examples|bench|scripts)\//);
  }
});

test('the allow-list check can fail: an input from aws-cdk-lib is reported', () => {
  const meta = {
    inputs: {},
    outputs: { 'index.js': { bytes: 10, inputs: { 'node_modules/aws-cdk-lib/core/lib/stack.js': { bytesInOutput: 10 } } } },
  };
  expect(unexpectedParts(bundleParts(meta)).map((p) => p.name)).toEqual(['aws-cdk-lib']);
});
