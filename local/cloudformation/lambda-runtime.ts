/**
 * Local Lambda functions: each one a long-lived child process (a warm execution environment) running
 * the handler from its synthesized asset directory with the environment its template gives it.
 */
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { InvokeMessage, ResultMessage } from './lambda-worker';

/** What a function needs to run locally. */
export interface LocalFunctionSpec {
  readonly functionName: string;
  readonly functionArn: string;
  /** The directory holding the handler's code (an asset directory in cdk.out). */
  readonly codeDir: string;
  /** `file.export`, for example `index.onEvent`. */
  readonly handler: string;
  /** The function's environment: the template's variables plus the local endpoints and credentials. */
  readonly environment: Readonly<Record<string, string>>;
  /** @default 3 (Lambda's default) */
  readonly timeoutSeconds?: number;
  /** @default 128 */
  readonly memoryMb?: number;
}

/** The outcome of one invocation. */
export interface Invocation {
  readonly ok: boolean;
  /** The handler's return value (when `ok`). */
  readonly result?: unknown;
  /** The error the handler threw, as Lambda reports it (when not `ok`). */
  readonly error?: { readonly errorType: string; readonly errorMessage: string };
  /** Everything the handler wrote to stdout/stderr, one entry per write. */
  readonly logs: readonly string[];
  /** Wall time of the invocation, including a cold start. */
  readonly durationMs: number;
  /** Module load time when this invocation was a cold start. */
  readonly initMs?: number;
}

/**
 * A local Lambda function. Invocations run one at a time, like one concurrent execution.
 */
export class LocalLambda {
  private child?: ChildProcess;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(public readonly spec: LocalFunctionSpec) {}

  /** Invoke the function and wait for its result. A timeout kills the environment (next call is cold). */
  public invoke(event: unknown): Promise<Invocation> {
    const run = this.queue.then(() => this.invokeNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stop the execution environment (the next invocation starts a cold one). */
  public async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  }

  private start(): ChildProcess {
    const timeoutSeconds = this.spec.timeoutSeconds ?? 3;
    const child = fork(join(__dirname, 'lambda-worker.ts'), [], {
      execArgv: ['--require', require.resolve('tsx/cjs')],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        PATH: process.env.PATH ?? '',
        ...this.spec.environment,
        LOCAL_LAMBDA_CODE_DIR: this.spec.codeDir,
        LOCAL_LAMBDA_FUNCTION_ARN: this.spec.functionArn,
        LOCAL_LAMBDA_TIMEOUT_MS: String(timeoutSeconds * 1000),
        _HANDLER: this.spec.handler,
        AWS_LAMBDA_FUNCTION_NAME: this.spec.functionName,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.spec.memoryMb ?? 128),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.spec.functionName}`,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        LAMBDA_TASK_ROOT: this.spec.codeDir,
        // Lambda runs Node.js 22, where the SDK has nothing to warn about; this machine may run 20
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    this.child = child;
    return child;
  }

  private invokeNow(event: unknown): Promise<Invocation> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    const timeoutMs = (this.spec.timeoutSeconds ?? 3) * 1000;
    const started = performance.now();
    return new Promise<Invocation>((resolve) => {
      const finish = (outcome: Omit<Invocation, 'durationMs'>) => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve({ ...outcome, durationMs: performance.now() - started });
      };
      const onMessage = (message: ResultMessage) => {
        if (message.type === 'result' && message.id === id) {
          finish({ ok: message.ok, result: message.result, error: message.error, logs: message.logs, initMs: message.initMs });
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        this.child = undefined;
        finish({
          ok: false,
          error: { errorType: 'Runtime.ExitError', errorMessage: `the execution environment exited (code ${code}, signal ${signal}) during the invocation` },
          logs: [],
        });
      };
      const timer = setTimeout(() => {
        void this.stop();
        finish({
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds` },
          logs: [],
        });
      }, timeoutMs + 100);
      child.on('message', onMessage);
      child.once('exit', onExit);
      const message: InvokeMessage = { type: 'invoke', id, event };
      child.send(message);
    });
  }
}
