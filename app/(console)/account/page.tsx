import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { PERMISSIONS, ROLE_DESCRIPTIONS, ROLE_PERMISSIONS } from "@/lib/auth/permissions";
import { requirePageUser } from "@/lib/auth/session";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requirePageUser();
  const permissions = ROLE_PERMISSIONS[user.role];
  return (
    <div className="space-y-6">
      <PageHeader title="Account" description="Who you are signed in as, what your role lets you do, and your password." />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="role-heading" className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-zinc-500">Name</dt>
            <dd>{user.name}</dd>
            <dt className="text-zinc-500">Email</dt>
            <dd className="font-mono text-xs leading-5">{user.email}</dd>
            <dt className="text-zinc-500">Role</dt>
            <dd>
              <Badge tone="indigo">{user.role}</Badge> <span className="ml-1 text-zinc-600 dark:text-zinc-400">{ROLE_DESCRIPTIONS[user.role]}</span>
            </dd>
          </dl>
          <h2 id="role-heading" className="mt-6 text-sm font-semibold">
            What you may do
          </h2>
          <ul className="mt-2 divide-y divide-zinc-100 text-sm dark:divide-zinc-800" data-testid="permission-list">
            {permissions.map((p) => (
              <li key={p} className="flex gap-3 py-1.5">
                <code className="w-40 shrink-0 font-mono text-xs leading-5 text-zinc-500">{p}</code>
                <span>{PERMISSIONS[p]}</span>
              </li>
            ))}
          </ul>
        </section>
        <section aria-labelledby="password-heading" className="rounded-lg border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900">
          <h2 id="password-heading" className="text-sm font-semibold">
            Change password
          </h2>
          <ChangePasswordForm />
        </section>
      </div>
    </div>
  );
}
