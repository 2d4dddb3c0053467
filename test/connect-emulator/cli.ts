import { startConnectEmulator } from './index';

/**
 * `npm run emulator -- --port <p> [--region r] [--account a] [--throttling realistic] [--consistency-delay-ms n]`
 *
 * Serves the emulator on 127.0.0.1 until SIGINT/SIGTERM. Any credentials are accepted.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: npm run emulator -- --port <p> [--region us-east-1] [--account 123456789012] '
      + '[--throttling off|realistic] [--consistency-delay-ms 0] [--instance]\n');
    return;
  }
  const port = Number(value('--port') ?? process.env.PORT ?? 4566);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535 (received ${value('--port')})`);
  }
  const throttling = value('--throttling');
  if (throttling !== undefined && throttling !== 'off' && throttling !== 'realistic') {
    throw new Error(`--throttling must be off or realistic (received ${throttling})`);
  }
  const emulator = await startConnectEmulator({
    port,
    region: value('--region'),
    accountId: value('--account'),
    throttling: throttling as 'off' | 'realistic' | undefined,
    consistencyDelayMs: value('--consistency-delay-ms') !== undefined ? Number(value('--consistency-delay-ms')) : undefined,
  });
  process.stdout.write(`connect emulator listening on ${emulator.endpoint}\n`);
  if (args.includes('--instance')) {
    const instance = emulator.createInstance({ alias: 'emulator' });
    process.stdout.write(`instance ${instance.instanceArn}\n`);
  }
  const stop = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: Error) => {
  process.stderr.write(`connect emulator: ${e.message}\n`);
  process.exit(1);
});
