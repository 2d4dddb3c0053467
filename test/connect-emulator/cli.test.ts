import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { ConnectClient, DescribeInstanceCommand } from '@aws-sdk/client-connect';

// `npm run emulator -- --port <p>` runs `tsx test/connect-emulator/cli.ts`; this starts the same command.

const TSX = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const CLI = path.join(__dirname, 'cli.ts');

function start(args: string[]): { child: ChildProcess; output: Promise<string>; exit: Promise<number | null> } {
  const child = spawn(TSX, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  let out = '';
  const output = new Promise<string>((resolve) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (/instance arn:\S+\n/.test(out) || (/listening on \S+\n/.test(out) && !args.includes('--instance'))) {
        resolve(out);
      }
    });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', () => resolve(out));
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exit };
}

test('prints the listening line, serves the real SDK with any credentials, and stops on SIGTERM', async () => {
  const { child, output, exit } = start(['--port', '0', '--instance', '--region', 'eu-west-2']);
  const text = await output;
  const endpoint = /connect emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(text)?.[1];
  const instanceArn = /instance (arn:aws:connect:eu-west-2:\S+)\n/.exec(text)?.[1];
  expect(endpoint).toBeDefined();
  expect(instanceArn).toBeDefined();
  const client = new ConnectClient({ endpoint, region: 'ap-southeast-1', credentials: { accessKeyId: 'anything', secretAccessKey: 'at-all' } });
  const out = await client.send(new DescribeInstanceCommand({ InstanceId: instanceArn }));
  expect(out.Instance?.Arn).toBe(instanceArn);
  client.destroy();
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
});

test('a bad --port is refused with a message', async () => {
  const { output, exit } = start(['--port', 'abc']);
  expect(await exit).toBe(1);
  expect(await output).toMatch(/--port must be an integer from 0 to 65535 \(received abc\)/);
});
