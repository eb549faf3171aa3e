import Link from "next/link";
import { Panel } from "@/components/layout/panel";
import { Badge } from "@/components/ui/badge";
import { Time } from "@/components/ui/time";
import { actorRole, type Actor } from "@/lib/auth/actor";
import { hasPermission } from "@/lib/auth/permissions";
import type { StoredModelCard } from "@/lib/data/model-cards";
import type { ModelPromotionView } from "@/lib/data/model-promotions";
import { gauntletVerdict } from "@/lib/model-cards/card";
import { versionLabel } from "../model-parts";
import { DecidePromotion, ProposePromotion } from "./promotion-panel";

const LINK = "text-sky-700 hover:underline dark:text-sky-400";
const STATUS_TONE = { proposed: "amber", approved: "green", rejected: "neutral" } as const;

/** An edit-log position: a link to its proof for those who may read the log, the number for others. */
function Seq({ seq, canReadLog }: { seq: string; canReadLog: boolean }) {
  return canReadLog ? (
    <Link href={`/governance/ledger/proof/${seq}`} className={`${LINK} tabular`}>
      entry #{seq}
    </Link>
  ) : (
    <span className="tabular">entry #{seq}</span>
  );
}

function what(p: ModelPromotionView): string {
  const to = versionLabel(p.card.version);
  const from = p.from ? ` (replacing ${versionLabel(p.from.version)})` : "";
  return p.kind === "rollback" ? `Roll back to ${to}${from}` : `Promote ${to}${from}`;
}

/**
 * Promotion on the card page, for governance: the waiting proposal with its decision form,
 * or the action this version allows (promote a candidate, roll back to a former champion).
 * `history`: the model's proposals, newest first (modelPromotions).
 */
export function PromotionActions({ actor, stored, history }: { actor: Actor; stored: StoredModelCard; history: ModelPromotionView[] }) {
  if (!hasPermission(actorRole(actor), "models:promote")) return null;
  const waiting = history.find((p) => p.status === "proposed") ?? null;
  const label = `${stored.card.displayName ?? stored.card.model} ${versionLabel(stored.card.version)}`;
  const formerChampion = history.some((p) => p.status === "approved" && (p.card.id === stored.id || p.from?.id === stored.id));
  const failingGates = gauntletVerdict(stored.card).gates.filter((g) => g.result === "FAIL").map((g) => g.name);
  const kind = stored.status === "candidate" ? "promote" : stored.status === "retired" && formerChampion ? "rollback" : null;

  return (
        <Panel title="Promotion" className="print:hidden">
          {waiting ? (
            <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-800 dark:bg-amber-950">
              <p>
                <strong>Waiting for approval:</strong> {what(waiting)}, proposed by {waiting.proposedBy.name ?? "a governance user"} <Time value={waiting.proposedAt} />.
              </p>
              <p className="mt-1 text-zinc-700 dark:text-zinc-300">“{waiting.reason}”</p>
              {waiting.gauntletOverride ? <p className="mt-1 text-red-800 dark:text-red-300">Gauntlet override: “{waiting.gauntletOverride}”</p> : null}
              {waiting.card.id !== stored.id ? (
                <p className="mt-1">
                  <Link href={`/models/${waiting.card.id}`} className={LINK}>
                    Open {versionLabel(waiting.card.version)}
                  </Link>
                </p>
              ) : null}
              {actor.kind === "user" && waiting.proposedBy.id === actor.id ? (
                <p className="mt-2 text-zinc-600 dark:text-zinc-400">You proposed this: a second governance user approves or rejects it.</p>
              ) : (
                <DecidePromotion promotionId={waiting.id} label={versionLabel(waiting.card.version)} />
              )}
            </div>
          ) : kind ? (
            <div className="flex flex-wrap items-center gap-3">
              <ProposePromotion cardId={stored.id} kind={kind} label={label} failingGates={failingGates} />
              <p className="text-sm text-zinc-600 dark:text-zinc-400">
                {kind === "rollback" ? "This version was champion before: rolling back makes it champion again, and keeps the versions since." : "Compare it with the champion first; a second governance user approves."}
                {failingGates.length > 0 ? <span className="text-red-800 dark:text-red-300"> Its gauntlet failed ({failingGates.join(", ")}): promoting it needs an override with a reason.</span> : null}
              </p>
            </div>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {stored.status === "champion" ? "This version is the champion. To replace it, open a candidate; to go back, open a former champion." : "This version was registered as retired and was never champion."}
            </p>
          )}
        </Panel>
  );
}

/** The model's whole promotion history, newest first: every proposal, decision and override, with its edit-log entries. */
export function PromotionHistory({ actor, history }: { actor: Actor; history: ModelPromotionView[] }) {
  const canReadLog = hasPermission(actorRole(actor), "governance:read");
  return (
      // On paper: the latest two steps (the card's two pages have no room for more); none when there is no history.
      <Panel
        className={history.length === 0 ? "print:hidden" : undefined}
        title="Promotion history" aside={history.length === 0 ? undefined : `${history.length} proposal${history.length === 1 ? "" : "s"}`}>
        {history.length === 0 ? (
          <p className="text-sm text-zinc-500 italic">No promotion or rollback yet: the champion is the version registered as champion.</p>
        ) : (
          <ol className="space-y-3 border-l border-zinc-200 pl-4 dark:border-zinc-700" aria-label="Promotions and rollbacks, newest first">
            {history.map((p, i) => (
              <li key={p.id} className={i < 2 ? "text-sm" : "text-sm print:hidden"}>
                <div className="flex flex-wrap items-center gap-2">
                  <Badge tone={p.kind === "rollback" ? "violet" : "indigo"}>{p.kind === "rollback" ? "rollback" : "promotion"}</Badge>
                  <Link href={`/models/${p.card.id}`} className={LINK}>
                    {what(p)}
                  </Link>
                  <Badge tone={STATUS_TONE[p.status]}>{p.status}</Badge>
                </div>
                <p className="mt-1 text-zinc-700 dark:text-zinc-300">
                  Proposed by {p.proposedBy.name ?? "a governance user"} <Time value={p.proposedAt} /> (<Seq seq={p.proposedSeq} canReadLog={canReadLog} />): “{p.reason}”
                </p>
                {p.gauntletOverride ? <p className="text-red-800 dark:text-red-300">Gauntlet override: “{p.gauntletOverride}”</p> : null}
                {p.decidedBy && p.decidedAt && p.decidedSeq ? (
                  <p className="text-zinc-700 dark:text-zinc-300">
                    {p.status === "approved" ? "Approved" : "Rejected"} by {p.decidedBy.name ?? "a governance user"} <Time value={p.decidedAt} /> (<Seq seq={p.decidedSeq} canReadLog={canReadLog} />): “{p.decisionReason}”
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Panel>
  );
}
