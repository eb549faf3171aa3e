import { TableSkeleton } from "@/components/data-table/states";

/** Below the governance layout: the 403 is decided before this streams. */
export default function LedgerLoading() {
  return <TableSkeleton />;
}
