import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { withTestDatabase } from "@/lib/db/test-database";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { OPERATOR, type Actor } from "@/lib/auth/actor";
import { deleteSavedView, listSavedViews, saveView } from "./saved-views";
import { createUser } from "./users";

withTestDatabase();

async function person(role: "analyst" | "manager" | "lead" = "analyst", name = "P"): Promise<Actor> {
  const email = `sv-${randomUUID().slice(0, 8)}@example.com`;
  const u = await createUser(OPERATOR, { email, name, role, password: "a long enough password" });
  return { kind: "user", id: u.id, email, name, role };
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

  it("shares a lead's view with the team: others see it beside their own, only leads share, only the owner deletes", async () => {
    const lead = await person("lead", "Lena");
    const a = await person();
    const own = await saveView(a, { name: `mine ${randomUUID().slice(0, 4)}`, query: "kind=fragile" });
    await expect(saveView(a, { name: "for everyone", query: "", shared: true })).rejects.toBeInstanceOf(ForbiddenError);
    const shared = await saveView(lead, { name: `team ${randomUUID().slice(0, 4)}`, query: "status=decided", shared: true });
    const privateOne = await saveView(lead, { name: `lead only ${randomUUID().slice(0, 4)}`, query: "kind=fragile" });
    expect(shared).toMatchObject({ shared: true, sharedBy: null });
    const seen = await listSavedViews(a);
    expect(seen.map((v) => v.id)).toEqual([own.id, shared.id]);
    expect(seen[1]).toMatchObject({ query: "status=decided", shared: true, sharedBy: "Lena" });
    expect(seen.map((v) => v.id)).not.toContain(privateOne.id);
    await expect(deleteSavedView(a, { id: shared.id })).rejects.toBeInstanceOf(NotFoundError);
    await deleteSavedView(lead, { id: shared.id });
    expect((await listSavedViews(a)).map((v) => v.id)).toEqual([own.id]);
  });
});
