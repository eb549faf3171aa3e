import { describe, expect, it } from "vitest";
import { csvCell, csvLines, csvLinesFrom } from "./csv";

describe("CSV lines", () => {
  it("quotes what needs quoting and leaves a missing value empty", () => {
    expect([...csvLines(["a", "b", "c"], [{ a: 'say "hi", then go', b: null, c: ["x", "y"] }])]).toEqual(["a,b,c\r\n", '"say ""hi"", then go",,x y\r\n']);
  });

  it("leaves text a spreadsheet would run as a formula prefixed with ' (OWASP), and numbers as they are", () => {
    for (const formula of ["=HYPERLINK(\"http://x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\tcmd", "\r=1"]) {
      expect(csvCell(formula).replace(/^"/, "").startsWith("'")).toBe(true);
    }
    expect(csvCell("=1+2")).toBe("'=1+2");
    expect(csvCell('=HYPERLINK("http://x","go")')).toBe(`"'=HYPERLINK(""http://x"",""go"")"`);
    expect(csvCell(["@a", "b"])).toBe("'@a b");
    expect(csvCell(-0.25)).toBe("-0.25");
    expect(csvCell("-0.25")).toBe("-0.25");
    expect(csvCell("+3 %")).toBe("+3 %");
    expect(csvCell("-1e-5")).toBe("-1e-5");
    expect(csvCell("Competitor stockout")).toBe("Competitor stockout");
    expect(csvCell("a-b")).toBe("a-b");
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
