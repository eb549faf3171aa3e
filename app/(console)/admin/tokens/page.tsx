import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/layout/empty-state";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { ScopeBadges } from "@/components/ui/scope-badges";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { requirePageUser } from "@/lib/auth/session";
import { listServiceAccounts, listTokens, type TokenRow } from "@/lib/data/tokens";
import { loadEnv } from "@/lib/env";
import { CreateTokenForm, RevokeToken } from "./token-forms";

export const metadata: Metadata = { title: "API tokens" };

function status(t: TokenRow, now: Date) {
  if (t.revokedAt) return <Badge tone="red">Revoked</Badge>;
  if (t.expiresAt && t.expiresAt <= now) return <Badge>Expired</Badge>;
  return <Badge tone="green">Active</Badge>;
}

export default async function TokensPage() {
  const actor = await requirePageUser("tokens:manage");
  const [tokens, accounts] = await Promise.all([listTokens(actor), listServiceAccounts(actor)]);
  const now = new Date();
  const owners = accounts.filter((a) => a.active).map((a) => ({ id: a.id, email: a.email, allowedScopes: a.allowedScopes }));
  return (
    <div className="space-y-5">
      <PageHeader
        title="API tokens"
        count={tokens.length}
        description="Bearer tokens for machines, issued to service accounts. A token is shown once when created and stored only as a hash."
        actions={<CreateTokenForm owners={owners} defaultDays={loadEnv().API_TOKEN_DAYS} />}
      />
      {tokens.length === 0 ? (
        <EmptyState title="No API tokens yet">
          {owners.length === 0 ? (
            <>
              Create a <Link className="text-indigo-600 underline dark:text-indigo-400" href="/admin/service-accounts">service account</Link> first, then issue it a token here.
            </>
          ) : (
            "Issue a token to a service account with “New token”."
          )}
        </EmptyState>
      ) : (
        <Table label="API tokens">
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Token</Th>
              <Th>Account</Th>
              <Th>Scopes</Th>
              <Th className="text-right">Limits / min</Th>
              <Th>Created</Th>
              <Th>Expires</Th>
              <Th>Last used</Th>
              <Th>Status</Th>
              <Th className="text-right">Actions</Th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid={`token-row-${t.name}`}>
                <Td className="font-medium">{t.name}</Td>
                <Td className="font-mono text-xs">{t.prefix}…</Td>
                <Td className="font-mono text-xs">{t.owner.email}</Td>
                <Td>
                  <ScopeBadges scopes={t.scopes} />
                </Td>
                <Td className="tabular text-right text-xs" title="reads / ingest batches per minute">
                  {t.readPerMinute.toLocaleString("en-US")} / {t.ingestPerMinute.toLocaleString("en-US")}
                </Td>
                <Td>
                  <span title={t.createdBy ? `by ${t.createdBy.email}` : "by the operator CLI"}>
                    <Time value={t.createdAt} />
                  </span>
                </Td>
                <Td>
                  <Time value={t.expiresAt} missing="never" />
                </Td>
                <Td>
                  <Time value={t.lastUsedAt} />
                </Td>
                <Td>{status(t, now)}</Td>
                <Td className="text-right">{t.revokedAt ? null : <RevokeToken tokenId={t.id} name={t.name} />}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </div>
  );
}
