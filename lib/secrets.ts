import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { dataPath } from "./paths";

/**
 * Secrets a two-command start cannot expect a user to have are generated once into
 * `.data/secrets.json` (mode 0600). Keys are added as capabilities need them.
 */
export type LocalSecrets = {
  nextauthSecret?: string;
  embeddedPostgresPassword?: string;
  [key: string]: string | undefined;
};

export function secretsFile(): string {
  return dataPath("secrets.json");
}

export function readLocalSecrets(): LocalSecrets {
  try {
    return JSON.parse(fs.readFileSync(secretsFile(), "utf8")) as LocalSecrets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new Error(`${secretsFile()} is not valid JSON: fix or delete it (${(error as Error).message})`);
  }
}

/**
 * Returns the named local secret, generating and persisting it when absent.
 * `onGenerate` lets the caller warn that a generated secret is in use.
 */
export function localSecret(key: string, onGenerate?: (key: string, file: string) => void, generate: () => string = () => randomBytes(32).toString("base64url")): string {
  const current = readLocalSecrets();
  const existing = current[key];
  if (existing) return existing;
  const value = generate();
  const next = { ...current, [key]: value };
  const file = secretsFile();
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(next, null, 2) + "\n", { mode: 0o600 });
  fs.renameSync(tmp, file);
  onGenerate?.(key, file);
  return value;
}
