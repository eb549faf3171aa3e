/**
 * Small helpers shared by the command-line tools (train:scorer, calibrate, gate, ingest,
 * start): option parsing with `--help`, option parsing errors that print the usage, and the
 * exit-code convention (0 done, 1 the run's own failure, 2 bad usage or unreadable input).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

const HELP_OPTION = { help: { type: "boolean", short: "h", default: false } } as const;

type CliConfig<T extends ParseArgsOptionsConfig> = { options: T & typeof HELP_OPTION; strict: true; allowPositionals: false };

/** The parsed values of a command's options (`help` is handled by parseCli). */
export type CliValues<T extends ParseArgsOptionsConfig> = Omit<ReturnType<typeof parseArgs<CliConfig<T>>>["values"], "help">;

/**
 * Parses a command's options (strict, no positionals) with `-h, --help` added. For --help
 * it prints `usage` and returns null: the command then exits 0. `args`: process.argv's by default. Unknown or malformed
 * options throw node:util's ERR_PARSE_ARGS_* errors, which runCli answers with the usage.
 */
export function parseCli<const T extends ParseArgsOptionsConfig>(options: T, usage: string, args?: string[]): CliValues<T> | null {
  const config: CliConfig<T> & { args?: string[] } = { args, options: { ...options, ...HELP_OPTION }, strict: true, allowPositionals: false };
  const { help, ...values } = parseArgs(config).values as { help?: boolean };
  if (help) {
    process.stdout.write(usage);
    return null;
  }
  return values as CliValues<T>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** Bad options: our own UsageError or node:util parseArgs' ERR_PARSE_ARGS_* errors. */
export function isUsageError(error: unknown): error is Error {
  return error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"));
}

/** A file that could not be read (missing, a directory, no permission). */
export function isFileError(error: unknown): error is Error {
  return error instanceof Error && "code" in error && ["ENOENT", "EISDIR", "EACCES"].includes(String(error.code));
}

/** An integer seed in [0, 2³²); 42 when not given. */
export function seedOption(value: string | undefined, name: string): number {
  if (value === undefined) return 42;
  if (!/^\d+$/.test(value) || Number(value) > 0xffffffff) throw new UsageError(`--${name} must be an integer in [0, 2³²), got ${value}`);
  return Number(value);
}

/** A positive integer option within [min, max]. */
export function integerOption(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}], got ${value}`);
  return Number(value);
}

/**
 * Runs a command's `main` and turns its outcome into the exit code: the returned code; 2
 * with the usage for bad options; 2 with the message for an unreadable file or any error
 * `isInputError` accepts; anything else is unexpected and rethrown (a stack trace, exit 1).
 */
export function runCli(main: () => number | Promise<number>, usage: string, isInputError: (error: unknown) => boolean = () => false): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        if (isUsageError(error)) {
          process.stderr.write(`${error.message}\n\n${usage}`);
          process.exitCode = 2;
        } else if (isFileError(error) || isInputError(error)) {
          process.stderr.write(`${(error as Error).message}\n`);
          process.exitCode = 2;
        } else {
          throw error;
        }
      },
    );
}
