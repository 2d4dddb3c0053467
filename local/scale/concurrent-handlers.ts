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
import { followProtocol } from '../lines';

/** The bundled handler, as `npx projen bundle:handler` builds it. */
export const HANDLER_BUNDLE = path.join(__dirname, '..', '..', 'assets', 'handler', 'index.js');

/** The handler Lambda's timeout, as the provider sets it (src/private/provider.ts). */
export const HANDLER_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Runs inside each child process: loads N fresh instances of the bundle, says READY, then reads JSON
 * lines, each a round (the events, one per instance), runs each round's events all at once and prints
 * one result line each. The instances live on between rounds, as warm Lambda containers do.
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
  let nl;
  while ((nl = input.indexOf('\\n')) >= 0) {
    const events = JSON.parse(input.slice(0, nl));
    input = input.slice(nl + 1);
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
  }
});
`;

/** Where the environments send their calls, and how they are set up. */
export interface HandlerEnvironmentOptions {
  /** The Connect endpoint (the emulator's). */
  readonly endpoint: string;
  readonly region: string;
  /** How many execution environments (one per concurrent event). */
  readonly environments: number;
  /**
   * How many child processes the environments are spread over.
   *
   * @default one process per environment
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
}

/** What to run. */
export interface ConcurrentRunOptions extends Omit<HandlerEnvironmentOptions, 'environments'> {
  /** The events, one per execution environment. */
  readonly events: readonly CloudFormationCustomResourceEvent[];
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

/** One round of events. */
export interface ConcurrentRun {
  /** One per event, in the events' order. */
  readonly outcomes: EventOutcome[];
  readonly failures: EventOutcome[];
  /** Epoch milliseconds of the first handler call and of the last answer. */
  readonly startedAt: number;
  readonly endedAt: number;
  /** From the first handler call to the last answer. */
  readonly wallMs: number;
  /** Time to start the processes and load the bundles (not part of `wallMs`). */
  readonly loadMs: number;
}

/** Loaded execution environments that take rounds of events. */
export interface HandlerEnvironments {
  /** Time it took to start the processes and load every bundle. */
  readonly loadMs: number;
  /**
   * Release `events` at once (event i to environment i; at most one per environment) and wait for
   * every answer.
   *
   * @param onReady called just before the events are released
   */
  run(events: readonly CloudFormationCustomResourceEvent[], onReady?: () => void): Promise<ConcurrentRun>;
  /** End the processes. */
  stop(): void;
}

interface Child {
  readonly child: ChildProcess;
  /** How many environments it holds. */
  readonly size: number;
  /** Waits for the results of the round in progress. */
  expect(count: number): Promise<EventOutcome[]>;
}

/**
 * Start the environments and wait until all have loaded the bundle.
 */
export async function startHandlerEnvironments(options: HandlerEnvironmentOptions): Promise<HandlerEnvironments> {
  if (!fs.existsSync(HANDLER_BUNDLE)) {
    throw new Error(`${HANDLER_BUNDLE} is missing: run \`npx projen bundle:handler\` (the build runs it before the tests)`);
  }
  const count = options.environments;
  const processes = Math.max(1, Math.min(options.processes ?? count, count));
  // environment i lives in process i % processes, as its (i / processes)-th copy
  const sizes = Array.from({ length: processes }, (_, p) => Math.floor(count / processes) + (p < count % processes ? 1 : 0));
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
  const children: Child[] = [];
  const readies: Array<Promise<void>> = [];
  for (const size of sizes) {
    const child = spawn(process.execPath, ['-e', RUNNER, HANDLER_BUNDLE, entry, String(size), String(timeoutMs)], {
      env, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    let results: EventOutcome[] = [];
    let waiting: { count: number; resolve: (r: EventOutcome[]) => void; reject: (e: Error) => void } | undefined;
    let exited: Error | undefined;
    let markReady: () => void = () => undefined;
    let failReady: (e: Error) => void = () => undefined;
    readies.push(new Promise<void>((resolve, reject) => { markReady = resolve; failReady = reject; }));
    const settle = () => {
      if (waiting && results.length >= waiting.count) {
        const done = results;
        results = [];
        const w = waiting;
        waiting = undefined;
        w.resolve(done);
      }
    };
    followProtocol(child.stdout!, {
      ready: () => markReady(),
      result: (value) => {
        results.push(value as EventOutcome);
        settle();
      },
    });
    child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code, signal) => {
      exited = new Error(`a handler process exited (${signal ?? code}): ${stderr.slice(-2000)}`);
      failReady(exited);
      waiting?.reject(exited);
    });
    children.push({
      child,
      size,
      expect: (n) => new Promise<EventOutcome[]>((resolve, reject) => {
        if (exited) return reject(exited);
        waiting = { count: n, resolve, reject };
        settle();
      }),
    });
  }
  const stop = () => {
    for (const { child } of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
  };
  try {
    await Promise.all(readies);
  } catch (e) {
    stop();
    throw e;
  }
  const loadMs = Date.now() - loadStarted;
  return {
    loadMs,
    async run(events, onReady) {
      if (events.length > count) {
        throw new Error(`${events.length} events for ${count} environments: start more environments`);
      }
      const groups: Array<Array<{ index: number; event: CloudFormationCustomResourceEvent }>> = children.map(() => []);
      events.forEach((event, index) => groups[index % processes].push({ index, event }));
      const answers = children.map((c, k) => c.expect(groups[k].length));
      onReady?.();
      children.forEach((c, k) => c.child.stdin!.write(`${JSON.stringify(groups[k])}\n`));
      const outcomes = (await Promise.all(answers)).flat().sort((x, y) => x.index - y.index);
      const startedAt = Math.min(...outcomes.map((o) => o.startedAt));
      const endedAt = Math.max(...outcomes.map((o) => o.endedAt));
      return { outcomes, failures: outcomes.filter((o) => o.error !== undefined), startedAt, endedAt, wallMs: endedAt - startedAt, loadMs };
    },
    stop,
  };
}

/**
 * Start one environment per event, wait until all have loaded the bundle, release every event at once,
 * wait for every answer and end the processes.
 */
export async function runConcurrently(options: ConcurrentRunOptions): Promise<ConcurrentRun> {
  const environments = await startHandlerEnvironments({ ...options, environments: options.events.length });
  try {
    return await environments.run(options.events, options.onReady);
  } finally {
    environments.stop();
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
