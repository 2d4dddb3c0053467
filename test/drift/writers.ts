/**
 * Writers in child processes of their own (writer-process.ts): a deploy-time handler and a reconciler
 * that meet only through Connect (the emulator) and the desired-state table (dynalite, through the
 * proxy), as two Lambda functions do. Each signs with its own access key, so the emulator's holds and
 * request log tell them apart.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { followProtocol, forEachLine } from '../../local/lines';

/** tsx's loader, so the process that runs the writer is the one a kill hits (the tsx CLI would fork another). */
const TSX_LOADER = path.join(__dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'loader.mjs');
const ENTRY = path.join(__dirname, 'writer-process.ts');

/** How a writer is configured. */
export interface WriterOptions {
  /** The access key id it signs with (its identity in the emulator's request log and holds). */
  readonly accessKeyId: string;
  readonly connectEndpoint: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** The stack the reconciler works for. */
  readonly stackName: string;
  /** The lease duration. */
  readonly leaseMs: number;
}

/** What a command answered. */
export interface WriterResult {
  readonly ok?: any;
  readonly error?: string;
}

/** A running writer process. */
export interface Writer {
  readonly accessKeyId: string;
  /** The writer's log lines so far (JSON). */
  readonly logs: string[];
  /** Handle one CloudFormation event (`onEvent`). */
  deploy(event: unknown): Promise<WriterResult>;
  /** Run one sweep (`runSweep`). */
  sweep(): Promise<WriterResult>;
  /** Reconcile one CloudTrail change event. */
  change(event: unknown): Promise<WriterResult>;
  /** Kill the process at once (SIGKILL: nothing more is sent, no lease is released). */
  kill(): void;
  stop(): Promise<void>;
}

/** Start a writer process and wait until its modules are loaded. */
export async function startWriter(options: WriterOptions): Promise<Writer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', TSX_LOADER, ENTRY], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: options.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'writer-secret',
      AWS_ENDPOINT_URL_CONNECT: options.connectEndpoint,
      AWS_ENDPOINT_URL_DYNAMODB: options.dynamoEndpoint,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      DESIRED_STATE_TABLE: options.tableName,
      OWNER_STACK_NAME: options.stackName,
      RECONCILER_IGNORED_ROLE_ARNS: 'arn:aws:iam::123456789012:role/Handler,arn:aws:iam::123456789012:role/Reconciler',
      WRITER_LEASE_MS: String(options.leaseMs),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const pending = new Map<number, (r: WriterResult) => void>();
  let nextId = 0;
  let exited = false;
  const ready = new Promise<void>((resolve, reject) => {
    followProtocol(child.stdout!, {
      ready: resolve,
      result: (value) => {
        const { id, ...result } = value as WriterResult & { id: number };
        pending.get(id)?.(result);
        pending.delete(id);
      },
    });
    forEachLine(child.stderr!, (line) => logs.push(line));
    child.on('exit', (code, signal) => {
      exited = true;
      reject(new Error(`writer ${options.accessKeyId} exited (${signal ?? code}) before it was ready: ${logs.slice(-20).join('\n')}`));
      for (const [, resolveResult] of pending) resolveResult({ error: `the writer process exited (${signal ?? code})` });
      pending.clear();
    });
  });
  await ready;
  const send = (kind: string, event?: unknown): Promise<WriterResult> => {
    if (exited) return Promise.resolve({ error: 'the writer process has exited' });
    const id = ++nextId;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      child.stdin!.write(`${JSON.stringify({ id, kind, event })}\n`);
    });
  };
  return {
    accessKeyId: options.accessKeyId,
    deploy: (event) => send('event', event),
    sweep: () => send('sweep'),
    change: (event) => send('change', event),
    logs,
    kill: () => { child.kill('SIGKILL'); },
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.stdin!.end();
      child.kill();
      await gone;
    },
  };
}
