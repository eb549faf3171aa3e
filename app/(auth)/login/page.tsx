import { ShieldCheck } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { currentUser } from "@/lib/auth/session";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { demoSignIns } from "@/lib/data/users";
import { loadEnv } from "@/lib/env";
import { homeFor } from "@/lib/navigation";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const user = await currentUser();
  // Only same-origin paths are followed after sign-in (an open redirect otherwise).
  const callback = safeCallbackPath(Array.isArray(params.callbackUrl) ? params.callbackUrl[0] : params.callbackUrl);
  if (user) redirect(callback ?? homeFor(user.role));
  const error = signInErrorMessage(typeof params.error === "string" ? params.error : null);
  const env = loadEnv();
  const sso = env.OIDC_ISSUER ? (env.OIDC_NAME ?? "Single sign-on") : null;
  const demo = await demoSignIns();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className={demo.length > 0 ? "w-full max-w-lg" : "w-full max-w-sm"}>
        <div className="mb-6 flex items-center justify-center gap-2 text-lg font-semibold">
          <ShieldCheck aria-hidden className="size-6 text-indigo-600 dark:text-indigo-400" />
          Sentinel Review
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <h1 className="text-base font-semibold">Sign in</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Use the account your administrator gave you.</p>
          <LoginForm initialError={error} callbackUrl={callback ?? "/"} ssoName={sso} demoAccounts={demo} />
        </div>
      </div>
    </main>
  );
}
