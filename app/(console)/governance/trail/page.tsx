import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { requirePageUser } from "@/lib/auth/session";
import { TRAIL_SUBJECTS, type TrailSubject } from "@/lib/ledger/entry";
import { TrailLookup } from "./lookup";

export const metadata: Metadata = { title: "Audit trails" };

export default async function TrailIndexPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("governance:read");
  const { type, id } = await searchParams;
  if (typeof type === "string" && (TRAIL_SUBJECTS as readonly string[]).includes(type) && typeof id === "string" && id.trim() !== "") {
    redirect(`/governance/trail/${type}/${encodeURIComponent(id.trim())}`);
  }
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit trails"
        description="Everything that happened to one record, batch, report, event or policy snapshot: machine rows, gating result versions with their policy snapshot, label feedback and every human action with its position in the edit log."
      />
      <TrailLookup type={(TRAIL_SUBJECTS as readonly string[]).includes(String(type)) ? (type as TrailSubject) : "record"} />
    </div>
  );
}
