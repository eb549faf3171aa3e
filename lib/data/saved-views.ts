/**
 * Saved queue views, per person: a name and the view's URL parameters. A view is checked
 * with the queue's own schema before it is stored, so a saved view always opens; the page
 * position (cursor) is never part of it.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { queueQuerySchema, QUEUE_VIEW_PARAMS } from "@/lib/validations/queue";
import { deleteViewInput, saveViewInput } from "@/lib/validations/saved-views";
import { assertCan, type Actor } from "./actor";
import { db } from "./db";
import { isUniqueViolation, parseInput } from "./input";

export interface SavedView {
  id: string;
  name: string;
  query: string;
}

function userIdOf(actor: Actor): string {
  if (actor.kind !== "user") throw new ForbiddenError("Saved views belong to people.");
  return actor.id;
}

/** Keeps the view's own parameters in a fixed order; refuses what the queue would refuse. */
export function normaliseViewQuery(query: string): string {
  const given = new URLSearchParams(query);
  const kept = new URLSearchParams();
  for (const key of QUEUE_VIEW_PARAMS) {
    const value = given.get(key);
    if (value) kept.set(key, value);
  }
  const parsed = queueQuerySchema.safeParse(Object.fromEntries(kept));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError("This view cannot be saved.", { query: [`${String(issue.path[0] ?? "")} ${issue.message}`] });
  }
  return kept.toString();
}

export async function listSavedViews(actor: Actor): Promise<SavedView[]> {
  assertCan(actor, "queue:read");
  return db().prisma.savedView.findMany({ where: { userId: userIdOf(actor) }, orderBy: { name: "asc" }, select: { id: true, name: true, query: true } });
}

export async function saveView(actor: Actor, input: unknown): Promise<SavedView> {
  assertCan(actor, "queue:read");
  const data = parseInput(saveViewInput, input);
  const query = normaliseViewQuery(data.query);
  try {
    return await db().prisma.savedView.create({ data: { userId: userIdOf(actor), name: data.name, query }, select: { id: true, name: true, query: true } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new ConflictError(`You already have a view named "${data.name}".`);
    throw error;
  }
}

export async function deleteSavedView(actor: Actor, input: unknown): Promise<void> {
  assertCan(actor, "queue:read");
  const { id } = parseInput(deleteViewInput, input);
  const deleted = await db().prisma.savedView.deleteMany({ where: { id, userId: userIdOf(actor) } });
  if (deleted.count === 0) throw new NotFoundError("No such view of yours.");
}
