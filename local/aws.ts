/**
 * The local stand-ins for AWS that the demo and the benchmarks run against: the project's Connect
 * emulator and dynalite (a DynamoDB-protocol server), both in-process on loopback ports.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type ConnectEmulator, type EmulatorOptions, startConnectEmulator } from './connect-emulator';
import { startDynalite } from './dynamodb';

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

/**
 * Start the emulator and dynalite.
 *
 * @param emulatorOptions knobs of the emulator (throttling, faults, ...)
 */
export async function startLocalAws(emulatorOptions: EmulatorOptions = {}): Promise<LocalAws> {
  const emulator = await startConnectEmulator(emulatorOptions);
  const dynalite = await startDynalite();
  const dynamodbEndpoint = dynalite.endpoint;
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
      await dynalite.stop();
    },
  };
}
