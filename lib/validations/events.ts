/**
 * What an analyst or lead sends to act on a minority event (spec §7). Shared by the forms
 * and the data layer; the core's humanEntrySchema checks the entry built from it again.
 */
import { parseIsoDate } from "@/lib/format";
import * as z from "zod";
import { CAUSE_CATEGORIES, CAUSE_LABEL_MAX, EVENT_REASON_CODES, EVENT_STATUSES, FINALISATION_OUTCOMES, HUMAN_ACTIONS, type EventStatus } from "@/lib/mrs/taxonomy";

const TEXT_MAX = 2000;

/** The fields every action on an event or a report takes. */
const actionFields = {
  cause: z
    .strictObject({
      category: z.enum(CAUSE_CATEGORIES, { error: `must be one of ${CAUSE_CATEGORIES.join(", ")}` }),
      label: z.string({ error: "must be text" }).trim().min(1, { error: "is required" }).max(CAUSE_LABEL_MAX, { error: `must be at most ${CAUSE_LABEL_MAX} characters` }),
    })
    .nullish(),
  reasonCode: z.enum(EVENT_REASON_CODES, { error: `must be one of ${EVENT_REASON_CODES.join(", ")}` }).nullish(),
  reasonText: z.string({ error: "must be text" }).trim().max(TEXT_MAX, { error: `must be at most ${TEXT_MAX} characters` }).nullish(),
  evidenceUrl: z.union([z.literal(""), z.url({ error: "must be a URL" })]).nullish(),
  ledgerVersion: z.number({ error: "must be a number" }).int().min(0),
  requestId: z.uuid({ error: "must be a UUID" }),
};

/** The rules an override and a note follow on either subject; returns the way to add one more. */
function requireRules(
  d: { action: string; cause?: unknown; reasonCode?: unknown; reasonText?: string | null; evidenceUrl?: string | null },
  ctx: z.RefinementCtx,
): (path: string, message: string) => void {
  const need = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (d.action === "override" && !d.cause) need("cause", "is required for an override: the cause you decided");
  if (d.action === "override" && !d.reasonCode) need("reasonCode", "is required for an override");
  if (d.action === "override" && !d.reasonText) need("reasonText", "is required for an override: say why");
  if (d.action === "note" && !d.reasonText && !d.evidenceUrl) need("reasonText", "a note needs text or an evidence link");
  return need;
}

export const eventActionInputSchema = z
  .strictObject({
    eventId: z.string({ error: "is required" }).regex(/^ME-[0-9a-f]{12}$/, { error: "must be an event id (ME- and 12 hex digits)" }),
    action: z.enum(HUMAN_ACTIONS, { error: `must be one of ${HUMAN_ACTIONS.join(", ")}` }),
    outcome: z.enum(FINALISATION_OUTCOMES, { error: `must be one of ${FINALISATION_OUTCOMES.join(", ")}` }).nullish(),
    ...actionFields,
  })
  .superRefine((d, ctx) => {
    const need = requireRules(d, ctx);
    if (d.action === "finalise" && !d.outcome) need("outcome", "is required to finalise");
    if (d.action === "finalise" && !d.reasonCode) need("reasonCode", "is required to finalise");
    if (d.action === "reopen" && !d.reasonText) need("reasonText", "is required to reopen: say why");
  });
export type EventActionInput = z.input<typeof eventActionInputSchema>;

/** The actions on one report (spec §7: reports are subjects too); finalising is the event's. */
export const REPORT_ACTIONS = ["confirm", "override", "note"] as const;

/** What an analyst sends to confirm, override or note one report; a confirmation names its reason code too. */
export const reportActionInputSchema = z
  .strictObject({
    reportId: z.string({ error: "is required" }).regex(/^MR-[0-9a-f]{16}$/, { error: "must be a report id (MR- and 16 hex digits)" }),
    action: z.enum(REPORT_ACTIONS, { error: `must be one of ${REPORT_ACTIONS.join(", ")}` }),
    ...actionFields,
  })
  .superRefine((d, ctx) => {
    const need = requireRules(d, ctx);
    if (d.action === "confirm" && !d.reasonCode) need("reasonCode", "is required to confirm: why the machine's cause holds");
  });

/** A day (YYYY-MM-DD, UTC) or an ISO-8601 instant, as milliseconds; null when it is neither. */
function dayOrInstantMs(text: string, endOfDay: boolean): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = parseIsoDate(text);
    return day === null ? null : Date.parse(`${day}T00:00:00.000Z`) + (endOfDay ? 86_400_000 - 1 : 0);
  }
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? null : ms;
}

const DATE_RULE = "a day (YYYY-MM-DD, UTC) or an ISO-8601 instant with its zone";
export const DOWNSTREAM_LIMIT_MAX = 5000;

/**
 * `GET /api/v1/events/windows`: which windows (status, comma-separated; default all), the
 * period they overlap (from/to, days inclusive), and the keyset page (after, limit). Each
 * bad parameter is named with its rule.
 */
export const downstreamWindowsQuerySchema = z.strictObject(
  {
    status: z
      .string()
      .transform((s, ctx) => {
        const parts = s.split(",").map((p) => p.trim()).filter((p) => p !== "");
        const bad = parts.filter((p) => !(EVENT_STATUSES as readonly string[]).includes(p));
        if (parts.length === 0 || bad.length > 0) {
          ctx.addIssue({ code: "custom", message: `must be one or more of ${EVENT_STATUSES.join(", ")}, comma-separated${bad.length ? `; not ${bad.join(", ")}` : ""}` });
          return z.NEVER;
        }
        return parts as EventStatus[];
      })
      .optional(),
    from: z.string().transform((s, ctx) => dayOrInstantMs(s, false) ?? (ctx.addIssue({ code: "custom", message: `must be ${DATE_RULE}; got "${s}"` }), z.NEVER)).optional(),
    to: z.string().transform((s, ctx) => dayOrInstantMs(s, true) ?? (ctx.addIssue({ code: "custom", message: `must be ${DATE_RULE}; got "${s}"` }), z.NEVER)).optional(),
    after: z.string().regex(/^[A-Za-z0-9_-]{1,400}$/, { error: "must be the `next` cursor of an earlier page" }).optional(),
    limit: z
      .string()
      .regex(/^\d{1,5}$/, { error: `must be a whole number from 1 to ${DOWNSTREAM_LIMIT_MAX}` })
      .transform(Number)
      .refine((n) => n >= 1 && n <= DOWNSTREAM_LIMIT_MAX, { error: `must be a whole number from 1 to ${DOWNSTREAM_LIMIT_MAX}` })
      .optional(),
  },
  { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown parameter ${(issue.keys ?? []).join(", ")}: status, from, to, after and limit are known` : "must be query parameters") },
);
