import { ShieldCheck } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { CommandPalette } from "@/components/layout/command-palette";
import { SidebarNav } from "@/components/layout/sidebar-nav";
import { UserMenu } from "@/components/layout/user-menu";
import { requirePageUser } from "@/lib/auth/session";
import { openAlertCount } from "@/lib/data/alerts";
import { homeFor, navigationFor } from "@/lib/navigation";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const user = await requirePageUser();
  const openAlerts = await openAlertCount(user);
  return (
    <div className="flex min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <aside className="sticky top-0 flex h-screen print:hidden w-56 shrink-0 flex-col justify-between border-r border-zinc-200 bg-zinc-100/70 p-3 dark:border-zinc-800 dark:bg-zinc-900/60">
        <div className="space-y-5">
          <Link prefetch={false} href={homeFor(user.role)} className="flex items-center gap-2 px-2 pt-1 text-sm font-semibold text-zinc-900 dark:text-white">
            <ShieldCheck aria-hidden className="size-5 text-indigo-600 dark:text-indigo-400" />
            Sentinel Review
          </Link>
          <SidebarNav sections={navigationFor(user.role, openAlerts)} />
          <p className="px-2 text-xs text-zinc-500 dark:text-zinc-400">
            <kbd className="rounded border border-zinc-300 px-1 font-mono dark:border-zinc-700">Ctrl K</kbd> go to…
          </p>
        </div>
        <UserMenu name={user.name} email={user.email} role={user.role} />
      </aside>
      <CommandPalette sections={navigationFor(user.role)} />
      <main id="main" className="min-w-0 flex-1 px-8 py-6 print:p-0">
        {children}
      </main>
    </div>
  );
}
