/**
 * One local Lambda "execution environment": a child process that loads a handler from a code directory
 * (the synthesized asset, never the TypeScript source) and runs invocations sent by `LocalLambda`.
 *
 * The environment is fixed when the process starts, like a Lambda container. The handler module is
 * loaded at the first invocation (the cold start); later invocations reuse it (warm). Everything the
 * handler writes to stdout/stderr during an invocation is captured and returned with its result.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Sent by the parent. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly id: number;
  readonly event: unknown;
}

/** Sent back to the parent. */
export interface ResultMessage {
  readonly type: 'result';
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: { errorType: string; errorMessage: string; trace: string[] };
  readonly logs: string[];
  readonly initMs?: number;
}

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const spec = {
  codeDir: requiredEnv('LOCAL_LAMBDA_CODE_DIR'),
  handler: requiredEnv('_HANDLER'),
  functionName: requiredEnv('AWS_LAMBDA_FUNCTION_NAME'),
  functionArn: requiredEnv('LOCAL_LAMBDA_FUNCTION_ARN'),
  memoryMb: requiredEnv('AWS_LAMBDA_FUNCTION_MEMORY_SIZE'),
  timeoutMs: Number(requiredEnv('LOCAL_LAMBDA_TIMEOUT_MS')),
};

let captured: string[] | undefined;
for (const stream of [process.stdout, process.stderr]) {
  const original = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (captured) {
      captured.push(String(chunk));
      return true;
    }
    return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
}

let handler: Handler | undefined;

function loadHandler(): { fn: Handler; initMs?: number } {
  if (handler) {
    return { fn: handler };
  }
  const dot = spec.handler.lastIndexOf('.');
  const file = spec.handler.slice(0, dot);
  const exportName = spec.handler.slice(dot + 1);
  const started = performance.now();
  const loadModule = createRequire(join(spec.codeDir, 'package.json'));
  const mod = loadModule(join(spec.codeDir, file)) as Record<string, unknown>;
  const initMs = performance.now() - started;
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    throw new Error(`handler ${spec.handler}: ${join(spec.codeDir, file)} exports no function named "${exportName}" (exports: ${Object.keys(mod).join(', ') || 'none'})`);
  }
  handler = fn as Handler;
  return { fn: handler, initMs };
}

process.on('message', (message: InvokeMessage) => {
  if (message.type !== 'invoke') {
    return;
  }
  void invoke(message);
});

async function invoke(message: InvokeMessage): Promise<void> {
  const logs: string[] = [];
  captured = logs;
  const deadline = Date.now() + spec.timeoutMs;
  const context = {
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: spec.functionArn,
    memoryLimitInMB: spec.memoryMb,
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName: `local/${process.pid}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  let reply: ResultMessage;
  let initMs: number | undefined;
  try {
    const loaded = loadHandler();
    initMs = loaded.initMs;
    const result = await loaded.fn(message.event, context);
    reply = { type: 'result', id: message.id, ok: true, result: result === undefined ? null : result, logs, initMs };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = {
      type: 'result',
      id: message.id,
      ok: false,
      error: { errorType: err.name, errorMessage: err.message, trace: (err.stack ?? '').split('\n') },
      logs,
      initMs,
    };
  }
  captured = undefined;
  process.send!(reply);
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined) {
    throw new Error(`lambda worker: environment variable ${name} is not set (start the worker through LocalLambda)`);
  }
  return value;
}
