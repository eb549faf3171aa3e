import { readiness } from "@/lib/data/system";
import { logUnexpected } from "@/lib/log";

export const dynamic = "force-dynamic";

/**
 * Readiness: a user can work (database reachable, migrations current, first-run seed done).
 * Public, so it says ready or not and a coarse reason; the detail is in the server's log.
 */
export async function GET() {
  try {
    const state = await readiness();
    const headers = state.database === "busy" ? { "Retry-After": "5" } : undefined;
    return Response.json({ status: state.ready ? "ready" : "not_ready", ...state }, { status: state.ready ? 200 : 503, headers });
  } catch (error) {
    logUnexpected(error, { route: "/api/health/ready" });
    return Response.json({ status: "not_ready", ready: false }, { status: 503 });
  }
}
