import { defineConfig, devices } from "@playwright/test";
import { appLoginUrl } from "./lib/db/app-login";

const PORT = Number(process.env.E2E_PORT ?? 3100);
// 127.0.0.1, where `npm start` listens by default (HOST): "localhost" may resolve to ::1 first.
export const BASE_URL = `http://127.0.0.1:${PORT}`;

// Debian's Chromium; these flags keep it off the closed network (design/environment.md).
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

if (!process.env.E2E_DATABASE_URL) {
  throw new Error("E2E_DATABASE_URL is not set: run the end-to-end tests through `npm test` (or `npm test -- --only e2e`).");
}

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  globalSetup: "./e2e/global-setup.ts",
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: { executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1440, height: 900 } } }],
  webServer: {
    // The real `npm start`: migrations, first-run seed, production build, next start.
    command: "node node_modules/tsx/dist/cli.mjs scripts/start.ts",
    url: `${BASE_URL}/api/health/ready`,
    reuseExistingServer: false,
    timeout: 600_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      // The app logs in as its own role; the owner's URL runs the migrations (lib/db/app-login.ts).
      DATABASE_URL: appLoginUrl(process.env.E2E_DATABASE_URL),
      DATABASE_OWNER_URL: process.env.E2E_DATABASE_URL,
      PORT: String(PORT),
      HOST: "127.0.0.1",
      NEXTAUTH_URL: BASE_URL,
      SENTINEL_DATA_DIR: ".data/e2e",
      SENTINEL_DEMO: "on",
      NEXT_TELEMETRY_DISABLED: "1",
      // The webhook specs' receivers listen on 127.0.0.1 (refused in production by default).
      WEBHOOK_ALLOW_PRIVATE: "1",
    },
  },
});
