"use client";

import { LogOut } from "lucide-react";
import { useState } from "react";

export function UserMenu({ name, email, role }: { name: string; email: string; role: string }) {
  const [pending, setPending] = useState(false);
  return (
    <div className="border-t border-zinc-200 pt-3 dark:border-zinc-800">
      <div className="px-2">
        <p className="truncate text-sm font-medium text-zinc-900 dark:text-zinc-100" title={name}>
          {name}
        </p>
        <p className="truncate text-xs text-zinc-500 dark:text-zinc-400" title={email}>
          {email}
        </p>
        <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
          Role: <span className="font-medium text-zinc-700 dark:text-zinc-300" data-testid="current-role">{role}</span>
        </p>
      </div>
      <button
        type="button"
        disabled={pending}
        onClick={() => {
          setPending(true);
          // next-auth's client is needed only here: fetched on the click, not with every page.
          void import("next-auth/react").then(({ signOut }) => signOut({ callbackUrl: "/login" }), () => setPending(false));
        }}
        className="mt-2 flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-sm text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900 disabled:opacity-60 dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-white"
      >
        <LogOut aria-hidden className="size-4" />
        {pending ? "Signing out…" : "Sign out"}
      </button>
    </div>
  );
}
