import { PrintedAt } from "@/components/ui/printed-at";
import type { CardStatus, gauntletVerdict, ModelCard } from "@/lib/model-cards/card";
import { CardStatusBadge, GateBadge, TASK_LABELS, versionLabel } from "../model-parts";

/**
 * The card's header on paper (hidden on screen, where the page header, breadcrumb and
 * buttons say the same): what the card is, and when and where it was printed.
 */
export function CardPrintHeader({ card, status, name, gate, registeredAt }: { card: ModelCard; status: CardStatus; name: string; gate: ReturnType<typeof gauntletVerdict>["result"]; registeredAt: string }) {
  const renderedAt = `${new Date().toISOString().slice(0, 19)}Z`;
  return (
    <div data-testid="card-print-header" className="hidden border-b border-zinc-400 pb-1.5 print:block">
      <div className="flex items-baseline justify-between gap-4 text-xs text-zinc-600">
        <span className="font-medium">Sentinel Review · Model card</span>
        <PrintedAt renderedAt={renderedAt} />
      </div>
      <div className="mt-1 flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-lg font-semibold text-zinc-900">
          {name} · {versionLabel(card.version)}
        </h1>
        <CardStatusBadge status={status} />
        <span className="text-xs">
          gauntlet <GateBadge result={gate} />
        </span>
      </div>
      <p className="mt-0.5 text-xs text-zinc-700">
        {TASK_LABELS[card.task]} for {card.domain}, by {card.owner} · model <span className="font-mono">{card.model}</span> · registered {registeredAt.slice(0, 10)}; the card is append-only
      </p>
    </div>
  );
}
