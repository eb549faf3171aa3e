import { afterEach, describe, expect, it, vi } from "vitest";
import { isUsageError, parseCli } from "./options";

const OPTIONS = { input: { type: "string" }, "batch-size": { type: "string", default: "10" }, check: { type: "boolean", default: false } } as const;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("parseCli", () => {
  it("returns the options' values, defaults filled in", () => {
    expect(parseCli(OPTIONS, "usage\n", ["--input", "a.csv", "--check"])).toEqual({ input: "a.csv", "batch-size": "10", check: true });
  });

  it("prints the usage and returns null for --help and -h", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    expect(parseCli(OPTIONS, "Usage: tool\n", ["--help"])).toBeNull();
    expect(parseCli(OPTIONS, "Usage: tool\n", ["-h"])).toBeNull();
    expect(written).toEqual(["Usage: tool\n", "Usage: tool\n"]);
  });

  it("refuses unknown options and positionals as usage errors", () => {
    for (const args of [["--bogus"], ["file.csv"], ["--input"]]) {
      let error: unknown;
      try {
        parseCli(OPTIONS, "usage\n", args);
      } catch (e) {
        error = e;
      }
      expect(isUsageError(error), args.join(" ")).toBe(true);
    }
  });
});
