import { defineConfig } from "prisma/config";

// The CLI only generates the client here; migrations run through scripts/db.ts
// (Prisma's WASM schema engine), so no datasource URL is required to generate.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
