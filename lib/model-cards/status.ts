/**
 * Which version of a model is the champion, derived from the registry's history rather than
 * stored on a card (cards never change): the version registered as champion (the first of
 * the console's own models, or a card that says so), then each approved promotion or
 * rollback in the order it was approved. A version that was champion and is no longer is
 * retired, as is a card registered as retired; every other version is a candidate. A
 * rollback is one more approval, so no version and no step of the history is lost. Pure.
 */
import type { CardStatus } from "./card";

export interface RegisteredVersion {
  id: string;
  /** the status the card was registered with */
  registeredStatus: CardStatus;
}

/**
 * `versions`: one model's cards in registration order; `approved`: the card ids of its
 * approved promotions and rollbacks in approval order. Returns each card's status and the
 * champions in the order they held the title.
 */
export function registryStatuses(versions: readonly RegisteredVersion[], approved: readonly string[]): { status: Map<string, CardStatus>; champions: string[] } {
  const registeredChampion = versions.filter((v) => v.registeredStatus === "champion").at(-1)?.id;
  const champions = [...(registeredChampion ? [registeredChampion] : []), ...approved];
  const current = champions.at(-1);
  const formerly = new Set(champions);
  const status = new Map<string, CardStatus>(
    versions.map((v) => [v.id, v.id === current ? "champion" : formerly.has(v.id) || v.registeredStatus === "retired" ? "retired" : "candidate"]),
  );
  return { status, champions };
}
