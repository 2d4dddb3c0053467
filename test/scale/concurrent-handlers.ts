/**
 * Many CloudFormation events at once, each handled by the BUNDLED handler (assets/handler/index.js) in
 * an execution environment of its own, as CloudFormation starts independent custom resources in
 * parallel and Lambda gives each concurrent invocation its own container. Used by test/scale/ and by
 * the deploy benchmarks (bench/deploy-bench.ts).
 *
 * An environment is a fresh module instance of the bundle: its own process-wide rate limiter, its own
 * SDK client and connections. By default each event gets a child process of its own; `processes`
 * packs several environments into one process (memory: a node process with the bundle is about 85 MB,
 * one more module instance about 8 MB), which changes nothing the handler can see but shares a CPU
 * event loop.
 *
 * Every environment loads the bundle first; the events are released together once all have loaded,
 * so the timing starts at the first handler call, not at process start-up. Each handler call gets a
 * Lambda-like context whose remaining time counts down from `timeoutMs`.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { HANDLER_ENTRY } from '../../src/private/contract';

/** The bundled handler, as `npx projen bundle:handler` builds it. */
export const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

/** The handler Lambda's timeout, as the provider sets it (src/private/provider.ts). */
export const HANDLER_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Runs inside each child process: loads N fresh instances of the bundle, says READY, then reads one
 * JSON line (the events, one per instance), runs them all at once and prints one result line each.
 */
const RUNNER = `
const bundle = process.argv[1];
const entry = process.argv[2];
const copies = Number(process.argv[3]);
const timeoutMs = Number(process.argv[4]);
const handlers = [];
for (let i = 0; i < copies; i++) {
  delete require.cache[require.resolve(bundle)];
  handlers.push(require(bundle)[entry]);
}
process.stdout.write('\\n@@READY\\n');
let input = '';
process.stdin.on('data', (d) => {
  input += d;
  const nl = input.indexOf('\\n');
  if (nl < 0) return;
  const events = JSON.parse(input.slice(0, nl));
  input = '';
  events.forEach(async ({ index, event }, k) => {
    const startedAt = Date.now();
    const deadline = startedAt + timeoutMs;
    const context = {
      functionName: 'handler', functionVersion: '$LATEST', memoryLimitInMB: '256', awsRequestId: 'local-' + index,
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:handler', logGroupName: '/aws/lambda/handler',
      logStreamName: 'local', callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => deadline - Date.now(),
    };
    let outcome;
    try {
      outcome = { ok: await handlers[k](event, context) };
    } catch (e) {
      outcome = { error: String(e && e.message || e) };
    }
    process.stdout.write('\\n@@RESULT ' + JSON.stringify({ index, startedAt, endedAt: Date.now(), ...outcome }) + '\\n');
  });
});
`;

/** What to run. */
export interface ConcurrentRunOptions {
  /** The Connect endpoint (the emulator's). */
  readonly endpoint: string;
  readonly region: string;
  /** The events, one per execution environment. */
  readonly events: readonly CloudFormationCustomResourceEvent[];
  /**
   * How many child processes the environments are spread over.
   *
   * @default one process per event
   */
  readonly processes?: number;
  /** More environment variables of the function (e.g. `CONNECT_RATE_LIMITS`). */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The Lambda timeout each invocation's context counts down from.
   *
   * @default HANDLER_TIMEOUT_MS
   */
  readonly timeoutMs?: number;
  /** Called once every environment has loaded, just before the events are released. */
  readonly onReady?: () => void;
}

/** How one event ended. */
export interface EventOutcome {
  readonly index: number;
  /** The handler's response, when it succeeded. */
  readonly ok?: { PhysicalResourceId: string; Data?: Record<string, string> };
  /** The error message, when it failed. */
  readonly error?: string;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  readonly endedAt: number;
}

/** The whole run. */
export interface ConcurrentRun {
  /** One per event, in the events' order. */
  readonly outcomes: EventOutcome[];
  readonly failures: EventOutcome[];
  /** From the first handler call to the last answer. */
  readonly wallMs: number;
  /** Time to start the processes and load the bundles (not part of `wallMs`). */
  readonly loadMs: number;
}

/**
 * Start the environments, wait until all have loaded the bundle, release every event at once and
 * wait for every answer.
 */
export async function runConcurrently(options: ConcurrentRunOptions): Promise<ConcurrentRun> {
  if (!fs.existsSync(HANDLER_BUNDLE)) {
    throw new Error(`${HANDLER_BUNDLE} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  const events = options.events;
  const processes = Math.max(1, Math.min(options.processes ?? events.length, events.length));
  const groups: Array<Array<{ index: number; event: CloudFormationCustomResourceEvent }>> = Array.from({ length: processes }, () => []);
  events.forEach((event, index) => groups[index % processes].push({ index, event }));
  const entry = HANDLER_ENTRY.onEvent.split('.')[1];
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    AWS_ENDPOINT_URL_CONNECT: options.endpoint,
    AWS_REGION: options.region,
    AWS_ACCESS_KEY_ID: 'AKIDSCALETEST',
    AWS_SECRET_ACCESS_KEY: 'scale-test-secret',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // the handler logs one line per action; only warnings and errors are worth keeping here
    POWERTOOLS_LOG_LEVEL: 'WARN',
    ...options.env,
  };
  const timeoutMs = options.timeoutMs ?? HANDLER_TIMEOUT_MS;
  const loadStarted = Date.now();
  const children: Array<{ child: ChildProcess; ready: Promise<void>; done: Promise<EventOutcome[]> }> = groups.map((group) => {
    const child = spawn(process.execPath, ['-e', RUNNER, HANDLER_BUNDLE, entry, String(group.length), String(timeoutMs)], {
      env, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const results: EventOutcome[] = [];
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => { markReady = resolve; });
    const done = new Promise<EventOutcome[]>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        let nl: number;
        while ((nl = stdout.indexOf('\n')) >= 0) {
          const line = stdout.slice(0, nl);
          stdout = stdout.slice(nl + 1);
          if (line === '@@READY') markReady();
          if (line.startsWith('@@RESULT ')) {
            results.push(JSON.parse(line.slice(9)) as EventOutcome);
            if (results.length === group.length) {
              child.stdin!.end();
              resolve(results);
            }
          }
        }
      });
      child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('exit', (code, signal) => {
        if (results.length < group.length) {
          reject(new Error(`a handler process exited (${signal ?? code}) with ${group.length - results.length} event(s) unanswered: ${stderr.slice(-2000)}`));
        }
      });
    });
    return { child, ready: Promise.race([ready, done.then(() => undefined)]), done };
  });
  try {
    await Promise.all(children.map((c) => c.ready));
    const loadMs = Date.now() - loadStarted;
    options.onReady?.();
    children.forEach((c, k) => c.child.stdin!.write(`${JSON.stringify(groups[k])}\n`));
    const outcomes = (await Promise.all(children.map((c) => c.done))).flat().sort((a, b) => a.index - b.index);
    const wallMs = Math.max(...outcomes.map((o) => o.endedAt)) - Math.min(...outcomes.map((o) => o.startedAt));
    return { outcomes, failures: outcomes.filter((o) => o.error !== undefined), wallMs, loadMs };
  } finally {
    for (const { child } of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
  }
}

/**
 * The shortest time Connect's quotas allow for a request log: for each operation, the calls that got
 * past throttling beyond the burst, at the operation's rate; the slowest operation sets it.
 *
 * @param calls successful (not throttled) calls by operation
 * @param quotaOf the operation's rate and burst
 */
export function idealMs(calls: Readonly<Record<string, number>>, quotaOf: (operation: string) => { rate: number; burst: number }): number {
  let worst = 0;
  for (const [operation, n] of Object.entries(calls)) {
    const { rate, burst } = quotaOf(operation);
    worst = Math.max(worst, (Math.max(0, n - burst) / rate) * 1000);
  }
  return worst;
}
