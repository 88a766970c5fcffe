// `npm run simulate -- --messages 10000 --accounts 3 [--seed N] [--json]`: plays the sending
// service and the channels against a running system (see args.ts for every option).
import { DEVELOPMENT_GRPC_TOKENS } from '@sms/platform-config';
import { ArgumentError, parseSimulatorArgs, USAGE } from './args';
import { progressDisplay } from './progress';
import { formatReport } from './report';
import { runSimulation } from './simulation';

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let args;
  try {
    args = parseSimulatorArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    process.stderr.write(`${error.message}\n(see npm run simulate -- --help)\n`);
    process.exitCode = 2;
    return;
  }
  // Progress goes to stderr so that --json leaves stdout to the one JSON document.
  const display = progressDisplay(process.stderr);
  const summary = await runSimulation({
    ...args,
    // The accounts CLI writes to the gateway's database: the one `npm start` uses unless set.
    accountsEnv: {
      ...process.env,
      DATABASE_URL: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/sms',
    },
    // It plays the sending service, with that identity only (development token by default).
    callerToken: process.env['GRPC_TOKEN_SENDER'] ?? DEVELOPMENT_GRPC_TOKENS.sender,
    tls: {
      GRPC_TLS_CA: process.env['GRPC_TLS_CA'],
      GRPC_TLS_CLIENT_CERT: process.env['GRPC_TLS_CLIENT_CERT'],
      GRPC_TLS_CLIENT_KEY: process.env['GRPC_TLS_CLIENT_KEY'],
    },
    log: (line) => display.log(line),
    progress: (progress) => display.update(progress),
  }).finally(() => display.stop());
  process.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : `${formatReport(summary)}\n`);
  if (summary.problems.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(
    `simulation failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
