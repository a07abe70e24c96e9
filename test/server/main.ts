import { startServer } from './server';

function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index >= 0) return args[index + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

function numberFlag(args: readonly string[], name: string, fallback: number): number {
  const raw = flag(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} expects a non-negative number, got '${raw}'`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const server = await startServer({
    port: numberFlag(args, '--port', 0),
    batchDurationMs: numberFlag(args, '--batch-duration-ms', 15_000),
    // `--chunking none` writes whole events (benchmarks); the default cuts anywhere, as networks do.
    chunking: flag(args, '--chunking') === 'none' ? 'none' : 'random',
    log: process.env['LOCAL_ANTHROPIC_LOG'] ? (line) => process.stderr.write(`${line}\n`) : undefined,
  });
  process.stdout.write(`Local Anthropic server listening on ${server.url}\n`);
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
