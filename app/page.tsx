import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/session";
import { homeFor } from "@/lib/navigation";

export const dynamic = "force-dynamic";

/** The console's front door: each role lands on its first section. */
export default async function Home() {
  const user = await requirePageUser();
  redirect(homeFor(user.role));
}
