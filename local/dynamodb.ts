/**
 * A dynalite server (a DynamoDB-protocol server from npm) on loopback, for the desired-state table the
 * handler and the reconciler share. The real `@aws-sdk/client-dynamodb` talks to it.
 */
import { AddressInfo } from 'net';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** A running dynalite server and a client for it. */
export interface DynaliteServer {
  /** 'http://127.0.0.1:<port>' (for `AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Resolve once the table is ACTIVE (dynalite answers ResourceNotFound while it is CREATING). */
  waitForTable(tableName: string): Promise<void>;
  stop(): Promise<void>;
}

/** Start dynalite on a free port (tables are created, updated and deleted at once). */
export async function startDynalite(): Promise<DynaliteServer> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => import('http').Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDDYNALITE', secretAccessKey: 'dynalite-secret' },
  });
  return {
    endpoint,
    client,
    waitForTable: async (tableName) => {
      for (let i = 0; i < 200; i++) {
        const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
        if (out.Table?.TableStatus === 'ACTIVE') return;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      throw new Error(`dynalite: table ${tableName} did not become ACTIVE`);
    },
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
