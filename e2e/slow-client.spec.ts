import { expect, test } from "@playwright/test";
import fs from "node:fs";
import net from "node:net";
import { storageStateFor } from "./support";

/** A client that asks for a streamed export, reads the first bytes, then stops reading. */
function slowExport(baseURL: string, path: string, cookie: string): Promise<{ socket: net.Socket; received: () => number; ended: () => boolean; resume: () => Promise<string> }> {
  const { hostname, port } = new URL(baseURL);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let ended = false;
    let stalled = false;
    let size = 0;
    socket.on("error", reject);
    socket.on("end", () => (ended = true));
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // The status line and the first rows are in: from here on, read nothing.
      if (!stalled) {
        stalled = true;
        socket.pause();
        resolve({
          socket,
          received: () => size,
          ended: () => ended,
          resume: () =>
            new Promise((done) => {
              socket.on("end", () => done(Buffer.concat(chunks).toString("utf8")));
              socket.resume();
            }),
        });
      }
    });
    socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
  });
}

test("a dozen clients that stop reading a streamed export do not stall anyone else", async ({ request, baseURL, browser }) => {
  const state = JSON.parse(fs.readFileSync(storageStateFor("governance"), "utf8")) as { cookies: { name: string; value: string }[] };
  const cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  // More slow readers than the app's pool has connections: an export that held one per reader would starve the pool.
  const slow = await Promise.all(Array.from({ length: 12 }, () => slowExport(baseURL!, "/queue/export", cookie)));
  expect(slow.every((s) => !s.ended())).toBe(true);

  // Everyone else is served while they sit there.
  expect((await request.get("/api/health/ready", { timeout: 10_000 })).status()).toBe(200);
  const context = await browser.newContext({ storageState: storageStateFor("analyst") });
  const page = await context.newPage();
  await page.goto("/queue", { timeout: 15_000 });
  await expect(page.getByRole("table")).toBeVisible();
  await context.close();
  expect(slow.every((s) => !s.ended())).toBe(true);

  // The slow readers then get their whole file.
  const bodies = await Promise.all(slow.map((s) => s.resume()));
  for (const body of bodies) {
    expect(body).toMatch(/^HTTP\/1\.1 200/);
    expect(body.trimEnd().endsWith("0")).toBe(true); // the chunked body's last chunk: complete, not cut off
  }
});
