import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { ScopeBadges } from "@/components/ui/scope-badges";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requirePageUser } from "@/lib/auth/session";
import { BUILTIN_SERVICE_ACCOUNT, listServiceAccounts } from "@/lib/data/tokens";
import { ActiveToggle } from "@/components/admin/active-toggle";
import { CreateServiceAccountForm, EditScopes } from "./service-account-forms";

export const metadata: Metadata = { title: "Service accounts" };

export default async function ServiceAccountsPage() {
  const actor = await requirePageUser("tokens:manage");
  const accounts = await listServiceAccounts(actor);
  return (
    <div className="space-y-5">
      <PageHeader
        title="Service accounts"
        count={accounts.length}
        description="Machines that call the API. An account cannot sign in; it holds API tokens, and its allowed scopes bound every token it holds."
        actions={<CreateServiceAccountForm />}
      />
      {accounts.length === 0 ? (
        <EmptyState title="No service accounts yet">Create one for each system that sends batches or reads results, then issue it a token.</EmptyState>
      ) : (
        <Table label="Service accounts">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Account</Th>
              <Th>Allowed scopes</Th>
              <Th className="text-right">Active tokens</Th>
              <Th>Status</Th>
              <Th>Created</Th>
              <Th className="text-right">Actions</Th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-testid={`service-account-${a.email}`}>
                <Td className="font-medium">{a.name}</Td>
                <Td className="font-mono text-xs">{a.email}</Td>
                <Td>
                  <ScopeBadges scopes={a.allowedScopes} />
                </Td>
                <Td className="tabular text-right">
                  <Link className="text-indigo-600 hover:underline dark:text-indigo-400" href="/admin/tokens">
                    {a.activeTokens.toLocaleString("en-US")}
                  </Link>
                </Td>
                <Td>{a.active ? <Badge tone="green">Active</Badge> : <Badge>Deactivated</Badge>}</Td>
                <Td>
                  <Time value={a.createdAt} />
                </Td>
                <Td className="space-x-2 text-right whitespace-nowrap">
                  <EditScopes userId={a.id} email={a.email} allowedScopes={a.allowedScopes} />
                  {a.email === BUILTIN_SERVICE_ACCOUNT ? null : <ActiveToggle kind="service" userId={a.id} active={a.active} email={a.email} />}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
