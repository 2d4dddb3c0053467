import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { ConnectClient, DescribeInstanceCommand, ListInstancesCommand } from '@aws-sdk/client-connect';
import { parseCli } from '../../local/connect-emulator/cli';

// `npm run emulator -- --port <p>` runs `tsx local/connect-emulator/cli.ts`; this starts the same command.

const TSX = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const CLI = path.join(__dirname, '..', '..', 'local', 'connect-emulator', 'cli.ts');

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

test('flags are parsed strictly: an unknown flag, a stray argument or a flag without its value is refused', async () => {
  const unknown = start(['--port', '0', '--throttle', 'realistic']);
  expect(await unknown.exit).toBe(1);
  expect(await unknown.output).toMatch(/Unknown option '--throttle'/);
  const stray = start(['--port', '0', 'extra']);
  expect(await stray.exit).toBe(1);
  expect(await stray.output).toMatch(/Unexpected argument 'extra'/);
  const missing = start(['--port']);
  expect(await missing.exit).toBe(1);
  expect(await missing.output).toMatch(/--port/);
});

test.each([
  [['--port', '80x'], /--port must be an integer from 0 to 65535 \(received 80x\)/],
  [['--port', '0', '--account', '12'], /--account must be a 12-digit AWS account id \(received 12\)/],
  [['--port', '0', '--region', 'mars'], /--region must be a Region name/],
  [['--port', '0', '--consistency-delay-ms', '1.5'], /--consistency-delay-ms must be a whole number/],
  [['--port', '0', '--throttling', 'on'], /--throttling must be off or realistic \(received on\)/],
])('parseCli refuses %j', (argv, message) => {
  expect(() => parseCli(argv)).toThrow(message);
});

test('parseCli reads every flag and PORT from the environment', () => {
  expect(parseCli(['--region', 'eu-west-2', '--account', '111122223333', '--throttling', 'realistic', '--consistency-delay-ms', '250', '--instance'], { PORT: '4567' }))
    .toEqual({ help: false, port: 4567, region: 'eu-west-2', accountId: '111122223333', throttling: 'realistic', consistencyDelayMs: 250, instance: true });
});

test('the standalone server answers ListInstances with the instance it created', async () => {
  const { child, output, exit } = start(['--port', '0', '--instance', '--account', '111122223333']);
  const text = await output;
  const endpoint = /listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(text)?.[1];
  const instanceArn = /instance (arn:aws:connect:\S+)\n/.exec(text)?.[1];
  const client = new ConnectClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const out = await client.send(new ListInstancesCommand({}));
  expect(out.InstanceSummaryList?.map(i => i.Arn)).toEqual([instanceArn]);
  expect(out.InstanceSummaryList?.[0].InstanceAlias).toBe('emulator');
  client.destroy();
  child.kill('SIGTERM');
  expect(await exit).toBe(0);
});
