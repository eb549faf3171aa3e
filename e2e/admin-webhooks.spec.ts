import { expect, test } from "@playwright/test";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eventId } from "../lib/mrs/ids";
import { verifyWebhookSignature } from "../lib/webhooks/signature";
import { screenshot } from "./screenshot";
import { query, storageStateFor } from "./support";

const stamp = Date.now().toString(36);

test.describe("webhooks", () => {
  test.use({ storageState: storageStateFor("admin") });

  test("an admin adds a webhook, sees its secret once, the server delivers to it signed, and the admin deactivates it", async ({ page }) => {
    test.setTimeout(180_000);
    // The receiver: a real HTTP server on this machine (the e2e server runs with WEBHOOK_ALLOW_PRIVATE=1).
    const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const name = `Replenishment ${stamp}`;
    try {
      await page.goto("/admin/webhooks");
      await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
      await page.getByRole("button", { name: "New webhook" }).click();
      const dialog = page.getByRole("dialog", { name: "New webhook" });
      // Bad input names the field and its rule, and nothing is written.
      await dialog.getByLabel("Name").fill(name);
      await dialog.getByLabel("URL").fill("ftp://files.example.com/hook");
      await dialog.getByRole("button", { name: "Add webhook" }).click();
      await expect(dialog.getByText("URL must be an http:// or https:// URL")).toBeVisible();

      await dialog.getByLabel("URL").fill(url);
      await dialog.getByRole("checkbox", { name: /^event\.high_priority_opened/ }).check();
      await dialog.getByRole("button", { name: "Add webhook" }).click();
      const shown = page.getByTestId("new-webhook-secret");
      await expect(shown).toHaveText(/^[0-9a-f]{64}$/);
      const secret = (await shown.textContent())!;
      await expect(page.getByText("it is shown only once")).toBeVisible();
      await page.getByRole("button", { name: "Done" }).click();

      // Listed, active, the secret masked: never shown again.
      const row = page.getByTestId(`webhook-row-${name}`);
      await expect(row).toBeVisible();
      await expect(row.getByText("Active")).toBeVisible();
      await expect(row.getByText(url)).toBeVisible();
      await expect(row.getByText(`••••••••${secret.slice(-4)}`)).toBeVisible();
      await expect(page.getByText(secret)).toHaveCount(0);

      // A finalisation notice queued for it (as a lead's finalise would) reaches the receiver
      // through the server's own dispatcher, signed with the secret.
      const [sub] = await query<{ id: string }>("SELECT id::text AS id FROM webhook_subscriptions WHERE name = $1", [name]);
      const event = eventId("MR-UK-008");
      await query(
        `INSERT INTO webhook_deliveries (id, subscription_id, event_type, event_id, payload)
         VALUES (gen_random_uuid(), $1::uuid, 'event.finalised', $2, $3::jsonb)`,
        [sub!.id, event, JSON.stringify({ type: "event.finalised", eventId: event, outcome: "approved" })],
      );
      await expect.poll(() => received.length, { timeout: 100_000, intervals: [1000] }).toBeGreaterThan(0);
      const got = received[0]!;
      expect(got.headers["x-sentinel-event"]).toBe("event.finalised");
      expect(verifyWebhookSignature(secret, String(got.headers["x-sentinel-timestamp"]), got.body, String(got.headers["x-sentinel-signature"]))).toBe(true);
      expect(JSON.parse(got.body)).toMatchObject({ eventId: event, outcome: "approved" });
      await expect.poll(async () => (await query<{ status: string }>("SELECT status::text AS status FROM webhook_deliveries WHERE subscription_id = $1::uuid", [sub!.id]))[0]?.status).toBe("delivered");

      // A receiver that answered 500 twice, waiting for its next attempt, as the log shows it.
      await query(
        `INSERT INTO webhook_deliveries (id, subscription_id, event_type, event_id, payload, attempts, last_status_code, last_error, next_attempt_at)
         VALUES (gen_random_uuid(), $1::uuid, 'event.high_priority_opened', $2, '{}'::jsonb, 2, 500, 'HTTP 500 Internal Server Error', now() + interval '50 minutes')`,
        [sub!.id, eventId("MR-UK-001")],
      );
      await page.reload();
      const log = page.getByRole("region", { name: "Delivery log" });
      const ours = await query<{ id: string; event_type: string }>("SELECT id::text AS id, event_type::text AS event_type FROM webhook_deliveries WHERE subscription_id = $1::uuid", [sub!.id]);
      const delivered = log.getByTestId(`delivery-row-${ours.find((d) => d.event_type === "event.finalised")!.id}`);
      await expect(delivered.getByRole("link", { name: event })).toHaveAttribute("href", `/events/${event}`);
      await expect(delivered.getByText("Delivered")).toBeVisible();
      const retrying = log.getByTestId(`delivery-row-${ours.find((d) => d.event_type === "event.high_priority_opened")!.id}`);
      await expect(retrying.getByText("Retrying")).toBeVisible();
      await expect(retrying.getByText("Internal Server Error")).toBeVisible();
      await screenshot(page, "admin-webhooks");

      // Deactivated: marked so, and it can be reactivated.
      page.once("dialog", (d) => void d.accept());
      await row.getByRole("button", { name: `Deactivate ${name}` }).click();
      await expect(row.getByText("Deactivated")).toBeVisible();
      await expect(row.getByRole("button", { name: `Reactivate ${name}` })).toBeVisible();
      expect((await query<{ active: boolean }>("SELECT active FROM webhook_subscriptions WHERE id = $1::uuid", [sub!.id]))[0]?.active).toBe(false);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
