/**
 * Requests per second the local Connect emulator serves on loopback, measured with the real
 * `@aws-sdk/client-connect` (DescribeSecurityProfile of a default profile, 32 requests in flight).
 *
 * Three figures, each bounded in count and time:
 * - the real SDK against the emulator in its own process (`npm run emulator`), as a benchmark sees it;
 * - the real SDK with the emulator in-process (client and server share one event loop);
 * - the emulator's own capacity: the same wire request (path and headers the SDK sent, captured once)
 *   replayed by a bare keep-alive `http` client against the emulator in its own process. The SDK
 *   spends far more CPU per call than the emulator, so the first two figures measure the client.
 *
 *   npx tsx bench/emulator-throughput.ts [--requests 20000] [--seconds 5] [--concurrency 32]
 */
import { ChildProcess, spawn } from 'child_process';
import * as http from 'http';
import * as path from 'path';
import { ConnectClient, DescribeSecurityProfileCommand, ListSecurityProfilesCommand } from '@aws-sdk/client-connect';
import { connectClientFor, startConnectEmulator } from '../local/connect-emulator';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const MAX_REQUESTS = arg('--requests', 20_000);
const MAX_SECONDS = arg('--seconds', 5);
const CONCURRENCY = arg('--concurrency', 32);
const WARMUP = 500;

type Result = { requests: number; seconds: number; rps: number };

async function measure(client: ConnectClient, instanceId: string): Promise<Result> {
  const list = await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
  const profileId = list.SecurityProfileSummaryList!.find(p => p.Name === 'Agent')!.Id!;
  const call = () => client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profileId }));
  for (let i = 0; i < WARMUP; i += CONCURRENCY) {
    await Promise.all(Array.from({ length: CONCURRENCY }, call));
  }
  let done = 0;
  let issued = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + MAX_SECONDS * 1000;
  const worker = async () => {
    while (issued < MAX_REQUESTS && Date.now() < deadline) {
      issued++;
      await call();
      done++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { requests: done, seconds, rps: done / seconds };
}

async function separateProcess(run: (endpoint: string, instanceId: string) => Promise<Result>): Promise<Result> {
  const cli = path.join(__dirname, '..', 'local', 'connect-emulator', 'cli.ts');
  const tsx = path.join(__dirname, '..', 'node_modules', '.bin', 'tsx');
  const child: ChildProcess = spawn(tsx, [cli, '--port', '0', '--instance'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const { endpoint, instanceArn } = await new Promise<{ endpoint: string; instanceArn: string }>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const e = /listening on (http:\/\/\S+)/.exec(out);
        const i = /instance (arn:\S+)/.exec(out);
        if (e && i) {
          resolve({ endpoint: e[1], instanceArn: i[1] });
        }
      });
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
    });
    return await run(endpoint, instanceArn.split('/').pop()!);
  } finally {
    child.kill('SIGTERM');
  }
}

async function sdkAgainst(endpoint: string, instanceId: string): Promise<Result> {
  const client = new ConnectClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const result = await measure(client, instanceId);
  client.destroy();
  return result;
}

/** Capture the SDK's DescribeSecurityProfile request once, then replay it with a bare keep-alive client. */
async function rawAgainst(endpoint: string, instanceId: string): Promise<Result> {
  const client = new ConnectClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const list = await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
  const profileId = list.SecurityProfileSummaryList!.find(p => p.Name === 'Agent')!.Id!;
  let captured: { path: string; headers: Record<string, string> } | undefined;
  client.middlewareStack.add((next) => async (args: any) => {
    captured = { path: args.request.path, headers: { ...args.request.headers } };
    return next(args);
  }, { step: 'finalizeRequest', priority: 'low' });
  await client.send(new DescribeSecurityProfileCommand({ InstanceId: instanceId, SecurityProfileId: profileId }));
  client.destroy();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(endpoint);
  const call = () => new Promise<void>((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: captured!.path, method: 'GET', headers: captured!.headers, agent }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`status ${res.statusCode}`));
      }
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });
  let done = 0;
  let issued = 0;
  const start = process.hrtime.bigint();
  const deadline = Date.now() + MAX_SECONDS * 1000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (issued < MAX_REQUESTS && Date.now() < deadline) {
      issued++;
      await call();
      done++;
    }
  }));
  agent.destroy();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { requests: done, seconds, rps: done / seconds };
}

async function inProcess(): Promise<Result> {
  const emulator = await startConnectEmulator();
  const { instanceId } = emulator.createInstance();
  const client = connectClientFor(emulator);
  const result = await measure(client, instanceId);
  client.destroy();
  await emulator.stop();
  return result;
}

async function main(): Promise<void> {
  const separate = await separateProcess(sdkAgainst);
  const local = await inProcess();
  const raw = await separateProcess(rawAgainst);
  const line = (label: string, r: Result) =>
    `${label}: ${Math.round(r.rps)} requests/s (${r.requests} DescribeSecurityProfile in ${r.seconds.toFixed(2)} s, ${CONCURRENCY} in flight)`;
  process.stdout.write(`${line('real SDK, emulator in its own process', separate)}\n`);
  process.stdout.write(`${line('real SDK, emulator in-process', local)}\n`);
  process.stdout.write(`${line('emulator capacity (SDK wire request replayed by a bare http client, emulator in its own process)', raw)}\n`);
  process.stdout.write(`emulator-throughput sdk_rps=${Math.round(separate.rps)} capacity_rps=${Math.round(raw.rps)}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.stack}\n`);
  process.exit(1);
});
