"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { signInErrorMessage } from "@/lib/auth/sign-in-errors";
import type { DemoSignIn } from "@/lib/data/users";

/**
 * next-auth's client, fetched when the person starts typing or pointing (well before the
 * submit) rather than with the page: the sign-in page's first load stays small.
 */
const nextAuth = () => import("next-auth/react");
const signIn: (typeof import("next-auth/react"))["signIn"] = async (...args) => (await nextAuth()).signIn(...args);

export function LoginForm({
  initialError,
  callbackUrl,
  ssoName,
  demoAccounts,
}: {
  initialError: string | null;
  callbackUrl: string;
  ssoName: string | null;
  demoAccounts: DemoSignIn[];
}) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);

  /** Fills the form with a demo account and signs in, as typing them would. */
  function signInAs(account: DemoSignIn) {
    if (!emailRef.current || !passwordRef.current) return;
    emailRef.current.value = account.email;
    passwordRef.current.value = account.password;
    formRef.current?.requestSubmit();
  }

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      redirect: false,
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
    }).catch(() => undefined);
    if (!result || result.error) {
      setPending(false);
      setError(signInErrorMessage(result?.error ?? "Default"));
      emailRef.current?.focus();
      return;
    }
    // Checked again here: the prop is the page's, but nothing off-origin is ever followed.
    router.replace(safeCallbackPath(callbackUrl) ?? "/");
    router.refresh();
  }

  return (
    <div className="mt-5 space-y-4" onKeyDownCapture={() => void nextAuth()} onPointerDownCapture={() => void nextAuth()}>
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-300">
          {error}
        </p>
      ) : null}
      <form ref={formRef} onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field id="email" label="Email">
          <Input ref={emailRef} id="email" name="email" type="email" autoComplete="username" required autoFocus />
        </Field>
        <Field id="password" label="Password">
          <Input ref={passwordRef} id="password" name="password" type="password" autoComplete="current-password" required />
        </Field>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {ssoName ? (
        <Button variant="secondary" className="w-full" onClick={() => void signIn("oidc", { callbackUrl: safeCallbackPath(callbackUrl) ?? "/" })}>
          Continue with {ssoName}
        </Button>
      ) : null}
      {demoAccounts.length > 0 ? (
        <section aria-labelledby="demo-accounts" className="border-t border-zinc-200 pt-4 dark:border-zinc-800">
          <h2 id="demo-accounts" className="text-sm font-semibold">
            Demo accounts
          </h2>
          <p className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400">Demo data is on. One sign-in per role; change or deactivate them before real use.</p>
          <table className="mt-2 w-full text-sm">
            <thead className="sr-only">
              <tr>
                <th scope="col">Role</th>
                <th scope="col">Email</th>
                <th scope="col">Password</th>
                <th scope="col">Sign in</th>
              </tr>
            </thead>
            <tbody>
              {demoAccounts.map((a) => (
                <tr key={a.email} data-testid={`demo-account-${a.email}`} className="border-t border-zinc-100 first:border-t-0 dark:border-zinc-800">
                  <td className="py-1 pr-2">
                    <Badge tone="indigo">{a.role}</Badge>
                  </td>
                  <td className="py-1 pr-2 font-mono text-xs whitespace-nowrap">{a.email}</td>
                  <td className="py-1 pr-2 font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">{a.password}</td>
                  <td className="py-1 text-right">
                    <Button size="sm" variant="secondary" disabled={pending} onClick={() => signInAs(a)} aria-label={`Use ${a.email}`}>
                      Use
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </div>
  );
}
