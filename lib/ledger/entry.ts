/**
 * The content of one edit-log entry (governance spec §1) — everything the hash covers
 * except seq, recordedAt and prevHash. Its canonical JSON is `c`. Pure: zod only.
 */
import * as z from "zod";
import { LEDGER_ACTIONS } from "./actions";

export const SUBJECT_TYPES = ["record", "batch", "report", "event", "policy", "canary", "model", "user", "service_account", "api_token", "alert"] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
/** The subjects an audit trail can be opened for (lib/data/audit-trail.ts); a model is a scorer version (its results) or a model's name (its promotions). */
export const TRAIL_SUBJECTS = ["record", "batch", "report", "event", "policy", "model"] as const satisfies readonly SubjectType[];
export type TrailSubject = (typeof TRAIL_SUBJECTS)[number];

export { ADMIN_ACTIONS, type AdminAction, type AdminSubjectType } from "./actions";

const isoTime = z.iso.datetime({ offset: true, precision: undefined, error: "must be an ISO 8601 time" });

export const entryActorSchema = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("user"), id: z.uuid({ error: "must be a user id" }), role: z.string().min(1) }),
  z.strictObject({ type: z.literal("system"), rule: z.string().min(1), configVersion: z.string().min(1) }),
]);

export const editLogEntrySchema = z.strictObject({
  subjectType: z.enum(SUBJECT_TYPES, { error: `must be one of ${SUBJECT_TYPES.join(", ")}` }),
  subjectId: z.string().min(1).max(200),
  action: z.string().regex(/^[a-z][a-z_]{0,39}$/, { error: "must be a lower-case action name" }),
  before: z.json().nullable(),
  after: z.json().nullable(),
  reasonCode: z.string().max(60).nullable(),
  reasonText: z.string().max(2000, { error: "must be at most 2000 characters" }).nullable(),
  evidence: z.array(z.url({ error: "must be a URL" })).max(10),
  actor: entryActorSchema,
  sessionId: z.string().max(200).nullable(),
  /** when the action happened in the subject's timeline */
  effectiveAt: isoTime,
  /** the client's id for one intended action: a replay (double click, retried request) finds this entry instead of writing twice */
  requestId: z.uuid({ error: "must be a UUID" }).optional(),
}).superRefine((entry, ctx) => {
  const allowed = Object.keys(LEDGER_ACTIONS[entry.subjectType]);
  if (!allowed.includes(entry.action)) {
    ctx.addIssue({ code: "custom", path: ["action"], message: allowed.length ? `must be one of ${allowed.join(", ")} for a ${entry.subjectType}` : `nothing is recorded about a ${entry.subjectType} yet` });
  }
});
export type EditLogEntry = z.infer<typeof editLogEntrySchema>;
