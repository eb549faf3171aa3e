import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { OPERATOR, type Actor } from "./actor";
import { deleteSavedView, listSavedViews, saveView } from "./saved-views";
import { createUser } from "./users";

withTestDatabase();

async function person(role: "analyst" | "manager" = "analyst"): Promise<Actor> {
  const email = `sv-${randomUUID().slice(0, 8)}@example.com`;
  const u = await createUser(OPERATOR, { email, name: "P", role, password: "a long enough password" });
  return { kind: "user", id: u.id, email, name: "P", role };
}

describe("saved queue views", () => {
  it("saves the view's own parameters (never the cursor), lists them per person, refuses a duplicate name", async () => {
    const a = await person();
    const b = await person();
    const view = await saveView(a, { name: "AMH by confidence", query: "cursor=abc&flag=AGGREGATE_MEDIUM_HIGH&sort=confidence&junk=1" });
    expect(view.query).toBe("flag=AGGREGATE_MEDIUM_HIGH&sort=confidence");
    expect((await listSavedViews(a)).map((v) => v.name)).toEqual(["AMH by confidence"]);
    expect(await listSavedViews(b)).toEqual([]);
    await expect(saveView(a, { name: "AMH by confidence", query: "" })).rejects.toBeInstanceOf(ConflictError);
    await expect(deleteSavedView(b, { id: view.id })).rejects.toBeInstanceOf(NotFoundError);
    await deleteSavedView(a, { id: view.id });
    expect(await listSavedViews(a)).toEqual([]);
  });

  it("refuses a view the queue would refuse, and people without the queue", async () => {
    const a = await person();
    await expect(saveView(a, { name: "bad", query: "sort=p_model" })).rejects.toMatchObject({ fields: { query: [expect.stringContaining("sort")] } });
    await expect(saveView(a, { name: " ", query: "" })).rejects.toBeInstanceOf(ValidationError);
    await expect(saveView(await person("manager"), { name: "x", query: "" })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
