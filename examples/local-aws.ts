/**
 * The local stand-ins for AWS that the demo and the benchmarks run against: the project's Connect
 * emulator and dynalite (a DynamoDB-protocol server), both in-process on loopback ports.
 */
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { ConnectClient } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ConnectEmulator, type EmulatorOptions, startConnectEmulator } from '../test/connect-emulator';

/** Static credentials for local endpoints (no AWS account is involved). */
export const FAKE_CREDENTIALS = { accessKeyId: 'AKIALOCALDEMO0000000', secretAccessKey: 'local-demo-secret-not-used' };

/** The running local services. */
export interface LocalAws {
  readonly emulator: ConnectEmulator;
  readonly dynamodbEndpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** A Connect client for the emulator (the real SDK, over HTTP). */
  readonly connect: ConnectClient;
  /** A DynamoDB client for dynalite (the real SDK, over HTTP). */
  readonly dynamodb: DynamoDBClient;
  /** The environment a function needs to reach these services with the standard SDK settings. */
  readonly functionEnvironment: Record<string, string>;
  stop(): Promise<void>;
}

interface DynaliteServer {
  listen(port: number, host: string, callback: (err?: Error) => void): void;
  address(): AddressInfo;
  close(callback: (err?: Error) => void): void;
}

/**
 * Start the emulator and dynalite.
 *
 * @param emulatorOptions knobs of the emulator (throttling, faults, ...)
 */
export async function startLocalAws(emulatorOptions: EmulatorOptions = {}): Promise<LocalAws> {
  const emulator = await startConnectEmulator(emulatorOptions);
  const loadModule = createRequire(__filename);
  const dynalite = loadModule('dynalite') as (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => DynaliteServer;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  const dynamodbEndpoint = `http://127.0.0.1:${server.address().port}`;
  const region = emulator.region;
  const connect = new ConnectClient({ region, endpoint: emulator.endpoint, credentials: FAKE_CREDENTIALS, maxAttempts: 8 });
  const dynamodb = new DynamoDBClient({ region, endpoint: dynamodbEndpoint, credentials: FAKE_CREDENTIALS });
  return {
    emulator,
    dynamodbEndpoint,
    region,
    accountId: emulator.accountId,
    connect,
    dynamodb,
    functionEnvironment: {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_CONNECT: emulator.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
    },
    stop: async () => {
      connect.destroy();
      dynamodb.destroy();
      await emulator.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
