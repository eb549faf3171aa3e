import { describe, expect, it } from "vitest";
import { CsvRowError, parseScorerCsv } from "./csv-rows";

const HEADER = "PassengerId,HomePlanet,CryoSleep,Cabin,Destination,Age,VIP,RoomService,FoodCourt,ShoppingMall,Spa,VRDeck,Name,Transported";

describe("parseScorerCsv", () => {
  it("reads the shipped dialect (NaN, TRUE/FALSE)", () => {
    const [record] = parseScorerCsv(`${HEADER}\n0257_01,Mars,FALSE,F/49/S,55 Cancri e,21,FALSE,1664,0,NaN,0,0,Errohs Berte,FALSE\n`);
    expect(record).toEqual({
      recordId: "0257_01",
      spend: { RoomService: 1664, FoodCourt: 0, ShoppingMall: null, Spa: 0, VRDeck: 0 },
      context: { HomePlanet: "Mars", CryoSleep: false, Cabin: "F/49/S", Destination: "55 Cancri e", Age: 21, VIP: false, Name: "Errohs Berte" },
      label: false,
    });
  });

  it("reads Kaggle's dialect alike: empty cells, True/False, 27.0, no label column", () => {
    const header = HEADER.replace(",Transported", "");
    const records = parseScorerCsv(
      `${header}\r\n0013_01,Earth,True,G/3/S,TRAPPIST-1e,27.0,False,0.0,,nan,NA,0.0,Nelly Carsoning\r\n`,
    );
    expect(records[0]).toMatchObject({
      spend: { RoomService: 0, FoodCourt: null, ShoppingMall: null, Spa: null, VRDeck: 0 },
      context: { CryoSleep: true, Age: 27, VIP: false },
      label: null,
    });
  });

  it("keeps unknown columns as string context", () => {
    const [record] = parseScorerCsv("PassengerId,RoomService,FoodCourt,ShoppingMall,Spa,VRDeck,Deck Note\n0001_01,1,2,3,4,5,upper\n");
    expect(record!.context).toEqual({ "Deck Note": "upper" });
  });

  it("names line, column and rule for unparseable values", () => {
    const attempt = (row: string) => () => parseScorerCsv(`${HEADER}\n0001_01,Europa,FALSE,B/0/P,TRAPPIST-1e,39,FALSE,0,0,0,0,0,A B,FALSE\n${row}\n`);
    const error = (() => {
      try {
        attempt("0002_01,Earth,FALSE,F/0/S,TRAPPIST-1e,24,FALSE,109,abc,25,549,44,J V,TRUE")();
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CsvRowError);
    expect(error).toMatchObject({ line: 3, column: "FoodCourt" });
    expect(attempt("0002_01,Earth,yes,F/0/S,TRAPPIST-1e,24,FALSE,109,9,25,549,44,J V,TRUE")).toThrow(/line 3, column CryoSleep: not a boolean/);
    expect(attempt("0002_01,Earth,FALSE,F/0/S,TRAPPIST-1e,24,FALSE,-5,9,25,549,44,J V,TRUE")).toThrow(/line 3, column RoomService: spend must be ≥ 0/);
    expect(attempt("0001_01,Earth,FALSE,F/0/S,TRAPPIST-1e,24,FALSE,1,9,25,549,44,J V,TRUE")).toThrow(/line 3, column PassengerId: duplicate id/);
    expect(attempt("0002_01,Earth,FALSE")).toThrow(CsvRowError);
  });

  it("requires the id and every spend column in the header", () => {
    expect(() => parseScorerCsv("PassengerId,RoomService\n0001_01,1\n")).toThrow(/line 1, column FoodCourt: required column/);
  });
});
