/**
 * The emulator with a plain SDK client for it, one attempt per call, so that a test sees Connect's own
 * answer (no SDK retries).
 */
import type { ConnectClient } from '@aws-sdk/client-connect';
import { connectClientFor, type ConnectEmulator, type EmulatorOptions, startConnectEmulator } from '../../local/connect-emulator';

/** A started emulator, its client, and how to stop both. */
export interface EmulatorAndClient {
  readonly emulator: ConnectEmulator;
  readonly client: ConnectClient;
  stop(): Promise<void>;
}

/** Start the emulator (with `options`) and a client for it. */
export async function startEmulatorAndClient(options?: EmulatorOptions): Promise<EmulatorAndClient> {
  const emulator = await startConnectEmulator(options);
  const client = connectClientFor(emulator, { maxAttempts: 1 });
  return {
    emulator,
    client,
    stop: async () => {
      client.destroy();
      await emulator.stop();
    },
  };
}
