import { Missing } from "@/components/layout/missing";
import { Panel } from "@/components/layout/panel";
import { Row } from "@/components/layout/row";

/** A context value as the scorer received it: text, a yes/no, a number, or *missing*. */
export function ContextValue({ value }: { value: unknown }) {
  if (value === null || value === undefined || value === "") return <Missing />;
  if (typeof value === "boolean") return <>{value ? "yes" : "no"}</>;
  if (typeof value === "number") return <>{Number.isInteger(value) ? value : value.toFixed(1)}</>;
  const text = String(value);
  if (text === "True" || text === "true") return <>yes</>;
  if (text === "False" || text === "false") return <>no</>;
  return <>{text}</>;
}

/** Cabin `deck/num/side` as its three parts (any of them missing when the source left it out). */
export function cabinParts(cabin: unknown): [string | null, string | null, string | null] {
  if (typeof cabin !== "string" || cabin === "") return [null, null, null];
  const [deck, num, side] = cabin.split("/");
  return [deck || null, num || null, side || null];
}

/** Everything about the passenger the scorer saw, as received: route, cabin, cryosleep, VIP, age and group. */
export function PassengerPanel({ context, groupId, groupSize }: { context: Record<string, unknown>; groupId: string | null; groupSize: number }) {
  const [deck, num, side] = cabinParts(context.Cabin);
  return (
    <Panel title="Passenger (as the scorer saw it)">
      <dl>
        <Row label="HomePlanet">
          <ContextValue value={context.HomePlanet} />
        </Row>
        <Row label="Destination">
          <ContextValue value={context.Destination} />
        </Row>
        <Row label="Cabin deck · num · side">
          <span className="whitespace-nowrap">
            <ContextValue value={deck} /> · <ContextValue value={num} /> · <ContextValue value={side === "P" ? "P (port)" : side === "S" ? "S (starboard)" : side} />
          </span>
        </Row>
        <Row label="CryoSleep">
          <ContextValue value={context.CryoSleep} />
        </Row>
        <Row label="VIP">
          <ContextValue value={context.VIP} />
        </Row>
        <Row label="Age">
          <ContextValue value={context.Age} />
        </Row>
        <Row label="group">{groupId === null ? <Missing /> : <span className="font-mono text-xs whitespace-nowrap">{groupId}</span>}</Row>
        <Row label="group size">{groupId === null ? <Missing /> : groupSize}</Row>
      </dl>
    </Panel>
  );
}
