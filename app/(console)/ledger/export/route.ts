/**
 * GET /ledger/export — moved to /governance/ledger/export; a permanent redirect keeps old
 * links working. The Location is a path: the browser resolves it against the address it
 * used, whatever host name the server itself was started with.
 */
export function GET(): Response {
  return new Response(null, { status: 308, headers: { Location: "/governance/ledger/export" } });
}
