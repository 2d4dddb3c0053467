/**
 * A writer in a process of its own (run with tsx by writers.ts): the deploy-time handler (`handleEvent`) or
 * the reconciler (`runSweep`, `reconcileChangeEvent`), built from the real modules as the entrypoints
 * build them, with the Connect and DynamoDB endpoints, the credentials and the table from the
 * environment, and the lease duration from `WRITER_LEASE_MS` (short, so expiry happens within a test).
 *
 * Protocol: one JSON command per stdin line (`{ id, kind: 'event' | 'sweep' | 'change', event? }`), one
 * `@@RESULT {id, ok | error}` line per command on stdout; logs go to stderr as JSON lines.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ConnectApi, createConnectClient } from '../../lambda/connect-api';
import { LeaseTable } from '../../lambda/lease';
import type { HandlerLogger } from '../../lambda/logger';
import { ReconcilerMetrics } from '../../lambda/metrics';
import { handleEvent } from '../../lambda/on-event';
import { TokenBucket } from '../../lambda/rate-limiter';
import { reconcileChangeEvent, ReconcilerDeps, runSweep } from '../../lambda/reconciler';
import { DynamoDbStateStore } from '../../lambda/state-table';

const env = process.env;
const tableName = env.DESIRED_STATE_TABLE!;
const leaseMs = Number(env.WRITER_LEASE_MS ?? 120_000);

const logger: HandlerLogger = {
  debug: (message, ...a) => log('DEBUG', message, a),
  info: (message, ...a) => log('INFO', message, a),
  warn: (message, ...a) => log('WARN', message, a),
  error: (message, ...a) => log('ERROR', message, a),
};
function log(level: string, message: string, attributes: Array<Record<string, unknown>>): void {
  process.stderr.write(`${JSON.stringify({ level, message, ...Object.assign({}, ...attributes) })}\n`);
}

// Fast retries (the emulator answers at once); throttled calls still retry until the deadline.
const connect = new ConnectApi(createConnectClient(), {
  rateLimiter: new TokenBucket({ ratePerSecond: 10_000, burst: 10_000 }),
  retry: { throttleBaseDelayMs: 5, baseDelayMs: 5, maxDelayMs: 50 },
});
const dynamo = new DynamoDBClient({});
const stateStore = new DynamoDbStateStore({ tableName, client: dynamo });
const leases = new LeaseTable({ tableName, client: dynamo, durationMs: leaseMs });
const reconciler: ReconcilerDeps = {
  store: stateStore,
  leases,
  api: connect,
  metrics: new ReconcilerMetrics({ write: () => undefined }),
  logger,
  stackName: env.OWNER_STACK_NAME,
  reportAccessScope: false,
  consistencyWindowMs: 0,
};
const ownRoleArns = (env.RECONCILER_IGNORED_ROLE_ARNS ?? '').split(',').filter(Boolean);

interface Command {
  readonly id: number;
  readonly kind: 'event' | 'sweep' | 'change';
  readonly event?: unknown;
}

async function run(command: Command): Promise<unknown> {
  switch (command.kind) {
    case 'event':
      return handleEvent(command.event as CloudFormationCustomResourceEvent, {
        connect, logger, stateStore, leases, consistencyWaitMs: 1000,
      });
    case 'sweep':
      return runSweep(reconciler, { budgetMs: 60_000 });
    case 'change':
      return reconcileChangeEvent(reconciler, command.event as Parameters<typeof reconcileChangeEvent>[1], ownRoleArns);
  }
}

let buffer = '';
process.stdin.on('data', (chunk: Buffer) => {
  buffer += chunk.toString();
  let nl: number;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const command = JSON.parse(buffer.slice(0, nl)) as Command;
    buffer = buffer.slice(nl + 1);
    run(command).then(
      (ok) => process.stdout.write(`@@RESULT ${JSON.stringify({ id: command.id, ok })}\n`),
      (error: Error) => process.stdout.write(`@@RESULT ${JSON.stringify({ id: command.id, error: error.message })}\n`),
    );
  }
});
process.stdout.write('@@READY\n');
