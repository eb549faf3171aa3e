import { withApi } from "@/lib/api/handler";
import { auditTrail } from "@/lib/data/audit-trail";
import { TRAIL_SUBJECTS, type TrailSubject } from "@/lib/ledger/entry";
import { tokenActor } from "@/lib/data/tokens";
import { NotFoundError } from "@/lib/errors";

export const dynamic = "force-dynamic";

/** GET /api/v1/trail/{record|batch|report|event|policy|model}/{id} — a subject's audit trail (the page's), for machines. */
export const GET = withApi({ scope: "read" }, async (_request, { principal, params }) => {
  const type = params.subjectType ?? "";
  if (!(TRAIL_SUBJECTS as readonly string[]).includes(type)) throw new NotFoundError(`No trail for subjects of type "${type}" (one of ${TRAIL_SUBJECTS.join(", ")}).`);
  return Response.json(await auditTrail(tokenActor(principal), type as TrailSubject, params.id ?? ""));
});
