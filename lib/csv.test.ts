import { describe, expect, it } from "vitest";
import { csvLines, csvLinesFrom } from "./csv";

describe("CSV lines", () => {
  it("quotes what needs quoting and leaves a missing value empty", () => {
    expect([...csvLines(["a", "b", "c"], [{ a: 'say "hi", then go', b: null, c: ["x", "y"] }])]).toEqual(["a,b,c\r\n", '"say ""hi"", then go",,x y\r\n']);
  });

  it("reads the first row of a paged source before giving out the header, so a refused source sends nothing", async () => {
    async function* refused(): AsyncGenerator<{ a: number }> {
      throw new Error("You do not have permission to do this.");
    }
    const lines = csvLinesFrom(["a"], refused());
    await expect(lines.next()).rejects.toThrow("permission");
    async function* two() {
      yield { a: 1 };
      yield { a: 2 };
    }
    const all: string[] = [];
    for await (const l of csvLinesFrom(["a"], two())) all.push(l);
    expect(all).toEqual(["a\r\n", "1\r\n", "2\r\n"]);
  });
});
