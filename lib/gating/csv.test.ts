import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CSV_MISSING_MARKERS, readCsv, type CsvReadResult } from "./csv";
import { referenceRows } from "./reference-data.test-support";

const HEADER = "PassengerId,HomePlanet,CryoSleep,Cabin,Destination,Age,VIP,RoomService,FoodCourt,ShoppingMall,Spa,VRDeck,Name,Transported";

function ok(result: CsvReadResult) {
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join("\n"));
  return result.rows;
}

describe("§1.1a CSV reader", () => {
  it("reads the shipped layout: missing markers, booleans, numbers with or without decimals, label apart", () => {
    const text = [
      HEADER,
      '0001_01,Europa,FALSE,B/0/P,TRAPPIST-1e,39,False,0,0,0,0,0,"Ofracculy, Maham",TRUE',
      "0002_01,Earth,true,,TRAPPIST-1e,24.0,NA,109.5,,NaN,nan,44,Juanna Vines,",
    ].join("\n");
    const rows = ok(readCsv(text));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({
      line: 2,
      recordId: "0001_01",
      spend: { RoomService: 0, FoodCourt: 0, ShoppingMall: 0, Spa: 0, VRDeck: 0 },
      context: { HomePlanet: "Europa", CryoSleep: false, Cabin: "B/0/P", Destination: "TRAPPIST-1e", Age: 39, VIP: false, Name: "Ofracculy, Maham" },
      label: true,
    });
    expect(rows[1]).toEqual({
      line: 3,
      recordId: "0002_01",
      spend: { RoomService: 109.5, FoodCourt: null, ShoppingMall: null, Spa: null, VRDeck: 44 },
      context: { HomePlanet: "Earth", CryoSleep: true, Cabin: null, Destination: "TRAPPIST-1e", Age: 24, VIP: null, Name: "Juanna Vines" },
      label: null,
    });
    expect("Transported" in (rows[0]?.context ?? {})).toBe(false);
  });

  it("the label column is optional; unknown columns are kept as context, typed by content", () => {
    const text = ["PassengerId,RoomService,FoodCourt,ShoppingMall,Spa,VRDeck,Loyalty,Tier,Flagged", "7_01,1,2,3,4,5,12.5,gold,TRUE", "8_01,1,2,3,4,5,,3,false"].join("\n");
    const rows = ok(readCsv(text));
    expect(rows[0]?.label).toBeNull();
    expect(rows[0]?.context).toEqual({ Loyalty: 12.5, Tier: "gold", Flagged: true });
    expect(rows[1]?.context).toEqual({ Loyalty: null, Tier: 3, Flagged: false });
  });

  it("accepts a BOM, quoted fields, CRLF line ends, blank lines and columns in any order", () => {
    const text = "\uFEFFVRDeck,Spa,ShoppingMall,FoodCourt,RoomService,PassengerId\r\n1,2,3,4,5,9_01\r\n\r\n\"6\",7,8,9,10,9_02\r\n";
    const rows = ok(readCsv(text));
    expect(rows.map((r) => r.spend)).toEqual([
      { VRDeck: 1, Spa: 2, ShoppingMall: 3, FoodCourt: 4, RoomService: 5 },
      { VRDeck: 6, Spa: 7, ShoppingMall: 8, FoodCourt: 9, RoomService: 10 },
    ]);
    expect(rows[1]?.line).toBe(4);
  });

  it("property: an empty cell and any missing marker read alike as null; True/TRUE/true alike as true", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CSV_MISSING_MARKERS),
        fc.constantFrom(...CSV_MISSING_MARKERS),
        fc.constantFrom("true", "True", "TRUE", "tRuE"),
        fc.constantFrom("false", "False", "FALSE"),
        (m1, m2, t, f) => {
          const text = [HEADER, `1_01,Earth,${t},A/1/S,${m1},30,${f},${m2},0,1,2,3,N,${t}`].join("\n");
          const [r] = ok(readCsv(text));
          expect(r?.spend.RoomService).toBeNull();
          expect(r?.context.Destination).toBeNull();
          expect(r?.context.CryoSleep).toBe(true);
          expect(r?.context.VIP).toBe(false);
          expect(r?.label).toBe(true);
        },
      ),
    );
  });

  it("names line, column and rule for anything unparseable, collecting every error", () => {
    const text = [
      HEADER,
      "1_01,Earth,maybe,A/1/S,TRAPPIST-1e,30,FALSE,abc,0,0,0,0,N,TRUE",
      "2_01,Earth,FALSE,A/1/S,TRAPPIST-1e,-4,FALSE,0,-1,0,0,0,N,yes",
      "3_01,Earth,FALSE",
      "bad id,Earth,FALSE,A/1/S,TRAPPIST-1e,30,FALSE,0,0,0,0,0,N,TRUE",
      "5_01,Earth,FALSE,A/1/S,TRAPPIST-1e,30,FALSE,0,0,0,0,0,N,TRUE",
      "5_01,Earth,FALSE,A/1/S,TRAPPIST-1e,30,FALSE,0,0,0,0,0,N,TRUE",
    ].join("\n");
    const result = readCsv(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => [e.line, e.column, e.rule])).toEqual([
      [2, "CryoSleep", "boolean"],
      [2, "RoomService", "number≥0"],
      [3, "Age", "number≥0"],
      [3, "FoodCourt", "number≥0"],
      [3, "Transported", "boolean"],
      [4, "", "columns"],
      [5, "PassengerId", "id"],
      [7, "PassengerId", "unique-id"],
    ]);
    expect(result.errors[1]?.message).toBe('line 2, column RoomService: "abc" is not a number ≥ 0 or a missing marker (empty, NaN, nan, NA)');
    expect(result.rows.map((r) => r.recordId)).toEqual(["5_01"]);
  });

  it("a missing required column or a broken quote is a header / csv error", () => {
    const noSpa = readCsv("PassengerId,RoomService,FoodCourt,ShoppingMall,VRDeck\n1_01,0,0,0,0");
    expect(noSpa.ok).toBe(false);
    if (!noSpa.ok) expect(noSpa.errors[0]).toMatchObject({ line: 1, column: "Spa", rule: "header" });
    const broken = readCsv('PassengerId,RoomService,FoodCourt,ShoppingMall,Spa,VRDeck\n"1_01,0,0,0,0,0');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.errors[0]?.rule).toBe("csv");
    expect(readCsv("").ok).toBe(false);
  });

  it("reads the real train.csv without error: 8,693 rows, labels apart, NaN as null", () => {
    const rows = referenceRows();
    expect(rows).toHaveLength(8693);
    expect(rows.every((r) => !("Transported" in r.context))).toBe(true);
    expect(rows.filter((r) => r.label === null)).toHaveLength(0);
    expect(rows.find((r) => r.recordId === "0257_01")?.spend.ShoppingMall).toBeNull();
    const nullRoomService = rows.filter((r) => r.spend.RoomService === null).length;
    expect(nullRoomService).toBeGreaterThan(150);
  });
});
