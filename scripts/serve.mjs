/**
 * The console's web server: Next.js's request handler behind a plain Node HTTP server, so
 * the client's address comes from the connection, not from a header the client wrote.
 * `x-forwarded-for` reaching the app holds exactly one address: the socket's peer, or with
 * TRUSTED_PROXY_HOPS=N (N proxies of yours in front) the address the outermost of them saw.
 * Without trusted proxies the other X-Forwarded-* headers are dropped too, so no client can
 * claim another host or scheme. Plain JavaScript: it runs before anything is compiled.
 *
 * Usage (scripts/start.ts runs it): node scripts/serve.mjs --port 3000 --host 127.0.0.1 [--dev]
 */
import http from "node:http";
import { parseArgs } from "node:util";

/**
 * The client's address as far as trusted hops can vouch for it. The chain is what the
 * proxies appended (left: the client's claim, right: the nearest proxy's view) followed by
 * the socket's peer; the address `hops` steps in from the right is the last one a proxy of
 * ours wrote. Anything further left was written by the client and is ignored.
 */
export function clientAddress(socketAddress, forwardedFor, hops) {
  const peer = normalise(socketAddress);
  if (!hops) return peer;
  const claimed = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((a) => normalise(a.trim()))
    .filter(Boolean);
  const chain = [...claimed, peer].filter(Boolean);
  return chain[Math.max(0, chain.length - 1 - hops)] ?? peer;
}

/** IPv4 peers on a dual-stack socket arrive as ::ffff:a.b.c.d. */
function normalise(address) {
  if (!address) return null;
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

/** Rewrites the forwarding headers of one request before Next.js sees them. */
export function trustForwarding(req, hops) {
  const address = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], hops);
  if (address) req.headers["x-forwarded-for"] = address;
  else delete req.headers["x-forwarded-for"];
  delete req.headers["x-real-ip"];
  if (!hops) {
    delete req.headers["x-forwarded-host"];
    delete req.headers["x-forwarded-proto"];
    delete req.headers["x-forwarded-port"];
  }
}

async function main() {
  const { values } = parseArgs({ options: { port: { type: "string" }, host: { type: "string" }, dev: { type: "boolean" } } });
  const port = Number(values.port ?? 3000);
  const hostname = values.host ?? "127.0.0.1";
  const hops = Number(process.env.TRUSTED_PROXY_HOPS ?? 0);
  const { default: next } = await import("next");
  const app = next({ dev: Boolean(values.dev), hostname, port, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    trustForwarding(req, hops);
    handle(req, res).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.listen(port, hostname, () => console.log(`web server listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`));
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
