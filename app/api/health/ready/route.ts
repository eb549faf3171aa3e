import { readiness } from "@/lib/data/system";

export const dynamic = "force-dynamic";

/** Readiness: a user can work (database reachable, migrations current, first-run seed done). */
export async function GET() {
  try {
    const state = await readiness();
    return Response.json({ status: state.ready ? "ready" : "not_ready", ...state }, { status: state.ready ? 200 : 503 });
  } catch (error) {
    return Response.json({ status: "not_ready", ready: false, detail: (error as Error).message }, { status: 503 });
  }
}
