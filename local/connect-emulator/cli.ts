import { parseArgs } from 'util';
import { startConnectEmulator } from './index';

const USAGE = 'usage: npm run emulator -- [--port 4566] [--region us-east-1] [--account 123456789012] '
  + '[--throttling off|realistic] [--consistency-delay-ms 0] [--instance]\n';

/** The emulator's options from the command line; unknown flags, stray arguments and bad values are errors. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv = {}): {
  help: boolean;
  port: number;
  region?: string;
  accountId?: string;
  throttling?: 'off' | 'realistic';
  consistencyDelayMs?: number;
  instance: boolean;
} {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'port': { type: 'string' },
      'region': { type: 'string' },
      'account': { type: 'string' },
      'throttling': { type: 'string' },
      'consistency-delay-ms': { type: 'string' },
      'instance': { type: 'boolean', default: false },
      'help': { type: 'boolean', short: 'h', default: false },
    },
  });
  const rawPort = values.port ?? env.PORT ?? '4566';
  const port = /^\d+$/.test(rawPort) ? Number(rawPort) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer from 0 to 65535 (received ${rawPort})`);
  }
  const throttling = values.throttling;
  if (throttling !== undefined && throttling !== 'off' && throttling !== 'realistic') {
    throw new Error(`--throttling must be off or realistic (received ${throttling})`);
  }
  if (values.region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(values.region)) {
    throw new Error(`--region must be a Region name such as eu-west-2 (received ${values.region})`);
  }
  if (values.account !== undefined && !/^\d{12}$/.test(values.account)) {
    throw new Error(`--account must be a 12-digit AWS account id (received ${values.account})`);
  }
  const rawDelay = values['consistency-delay-ms'];
  if (rawDelay !== undefined && !/^\d+$/.test(rawDelay)) {
    throw new Error(`--consistency-delay-ms must be a whole number of milliseconds (received ${rawDelay})`);
  }
  return {
    help: values.help === true,
    port,
    region: values.region,
    accountId: values.account,
    throttling: throttling as 'off' | 'realistic' | undefined,
    consistencyDelayMs: rawDelay !== undefined ? Number(rawDelay) : undefined,
    instance: values.instance === true,
  };
}

/**
 * `npm run emulator -- --port <p> [--region r] [--account a] [--throttling realistic] [--consistency-delay-ms n] [--instance]`
 *
 * Serves the emulator on 127.0.0.1 until SIGINT/SIGTERM. Any credentials are accepted.
 */
async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2), process.env);
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const emulator = await startConnectEmulator({
    port: options.port,
    region: options.region,
    accountId: options.accountId,
    throttling: options.throttling,
    consistencyDelayMs: options.consistencyDelayMs,
  });
  process.stdout.write(`connect emulator listening on ${emulator.endpoint}\n`);
  if (options.instance) {
    const instance = emulator.createInstance({ alias: 'emulator' });
    process.stdout.write(`instance ${instance.instanceArn}\n`);
  }
  const stop = (): void => {
    void emulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((e: Error) => {
    process.stderr.write(`connect emulator: ${e.message}\n${USAGE}`);
    process.exit(1);
  });
}
