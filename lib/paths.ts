import path from "node:path";

/** The project's private runtime folder (git-ignored): embedded server data, secrets, run records. */
export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.SENTINEL_DATA_DIR || ".data");
}

export function dataPath(...parts: string[]): string {
  return path.join(/*turbopackIgnore: true*/ dataDir(), ...parts);
}
