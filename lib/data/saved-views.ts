/**
 * Saved queue views: a name and the view's URL parameters, per person; a lead may share a
 * view with the team, and everyone sees shared views beside their own. A view is checked
 * with the queue's own schema before it is stored, so a saved view always opens; the page
 * position (cursor) is never part of it. Only the owner deletes a view.
 */
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { queueQuerySchema, QUEUE_VIEW_PARAMS } from "@/lib/validations/queue";
import { deleteViewInput, saveViewInput } from "@/lib/validations/saved-views";
import { actorCan, assertCan, type Actor } from "@/lib/auth/actor";
import { db } from "./db";
import { isUniqueViolation, parseInput } from "./input";

export interface SavedView {
  id: string;
  name: string;
  query: string;
  shared: boolean;
  /** the owner's name, for views shared by someone else; null for one's own */
  sharedBy: string | null;
}

/** Sharing a view with the team is a lead's act: the permission that sets leads apart from analysts. */
const SHARE_PERMISSION = "records:bulk" as const;

const SELECT = { id: true, name: true, query: true, shared: true, userId: true, user: { select: { name: true } } } as const;
type Selected = { id: string; name: string; query: string; shared: boolean; userId: string; user: { name: string } };
const toView = (v: Selected, viewer: string): SavedView => ({ id: v.id, name: v.name, query: v.query, shared: v.shared, sharedBy: v.userId === viewer ? null : v.user.name });

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

/** The person's own views, then the views others shared with the team, each by name. */
export async function listSavedViews(actor: Actor): Promise<SavedView[]> {
  assertCan(actor, "queue:read");
  const me = userIdOf(actor);
  const views = await db().prisma.savedView.findMany({ where: { OR: [{ userId: me }, { shared: true }] }, orderBy: { name: "asc" }, select: SELECT });
  return [...views.filter((v) => v.userId === me), ...views.filter((v) => v.userId !== me)].map((v) => toView(v, me));
}

export async function saveView(actor: Actor, input: unknown): Promise<SavedView> {
  assertCan(actor, "queue:read");
  const data = parseInput(saveViewInput, input);
  if (data.shared && !actorCan(actor, SHARE_PERMISSION)) throw new ForbiddenError("Only leads share views with the team.");
  const query = normaliseViewQuery(data.query);
  const me = userIdOf(actor);
  try {
    return toView(await db().prisma.savedView.create({ data: { userId: me, name: data.name, query, shared: data.shared }, select: SELECT }), me);
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
