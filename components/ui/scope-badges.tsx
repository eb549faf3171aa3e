import { API_SCOPE_DESCRIPTIONS, type ApiScope } from "@/lib/auth/permissions";
import { Badge } from "./badge";

export function ScopeBadges({ scopes }: { scopes: ApiScope[] }) {
  if (scopes.length === 0) return <span className="text-zinc-400 italic">none</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {scopes.map((s) => (
        <Badge key={s} tone="indigo" title={API_SCOPE_DESCRIPTIONS[s]} className="font-mono">
          {s}
        </Badge>
      ))}
    </span>
  );
}
