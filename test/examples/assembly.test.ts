/**
 * The cloud-assembly reader that the player, the demo and `integ:synth` share: annotations are read from
 * wherever the assembly keeps them, so an error annotation is never missed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Annotations, App, CfnResource, Stack } from 'aws-cdk-lib';
import { readAssembly } from '../../local/cloudformation/assembly';

test('error and warning annotations of a stack are returned apart, each with its construct path', () => {
  // GIVEN an app whose stack carries an error and an acknowledgeable warning
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'assembly-annotations-'));
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'Annotated');
    const thing = new CfnResource(stack, 'Thing', { type: 'AWS::SNS::Topic' });
    Annotations.of(thing).addError('this cannot deploy');
    Annotations.of(stack).addWarningV2('example:warning', 'look at this');
    app.synth();

    // WHEN
    const [read] = readAssembly(outdir);

    // THEN
    expect(read.errors).toEqual([{ path: '/Annotated/Thing', message: 'this cannot deploy' }]);
    expect(read.warnings).toEqual([{ path: '/Annotated', message: 'look at this', id: 'example:warning' }]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
