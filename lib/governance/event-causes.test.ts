import { describe, expect, it } from "vitest";
import { causeConfusion, type DecidedEventCause } from "./event-causes";

const e = (machine: DecidedEventCause["machineCauseCategory"], analyst: DecidedEventCause["analystCauseCategory"], by: DecidedEventCause["decidedByType"] = "user"): DecidedEventCause => ({
  machineCauseCategory: machine,
  analystCauseCategory: analyst,
  decidedByType: by,
});

describe("event cause confusion", () => {
  it("counts people's causes against the machine's and how often each machine cause is overturned", () => {
    const c = causeConfusion([
      e("promotion", "promotion"),
      e("promotion", "data_error"),
      e("promotion", "data_error"),
      e("social_viral", "social_viral"),
      e("unknown", "social_viral"),
      // weekend mode's confirmation and undecided events are not people's decisions
      e("promotion", "promotion", "system"),
      e("data_error", null, null),
    ]);
    expect(c.categories).toEqual(["data_error", "promotion", "social_viral", "unknown"]);
    expect(c.cells.promotion).toEqual({ promotion: 1, data_error: 2 });
    expect(c.byMachine).toEqual([
      { machine: "promotion", decided: 3, overturned: 2, rate: 2 / 3 },
      { machine: "social_viral", decided: 1, overturned: 0, rate: 0 },
      { machine: "unknown", decided: 1, overturned: 1, rate: 1 },
    ]);
    expect([c.decided, c.overturned]).toEqual([5, 3]);
  });

  it("is empty when no person decided a cause", () => {
    expect(causeConfusion([e("promotion", "promotion", "system")])).toMatchObject({ categories: [], byMachine: [], decided: 0 });
  });
});
