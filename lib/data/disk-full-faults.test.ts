/**
 * A full disk under the database, on a private embedded PostgreSQL server: the results
 * table lives on a 4 MB tmpfs tablespace, batches are ingested until it is full. Every
 * acknowledged batch is stored whole, the refused one not at all, the refusal is the 503
 * the API gives for it (never a 500), and once space is freed the same request stores it.
 * Needs root to mount the tmpfs (the machines this runs on are root).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { createPrismaClient } from "@/lib/db/client";
import { withPrivateServer } from "@/lib/db/private-server";
import { asDomainError, DatabaseBusyError } from "@/lib/errors";
import type { ScoredRecord } from "@/lib/gating";
import { ingestBatch } from "./ingest";

const db = withPrivateServer("disk-full");
const actor: Actor = { kind: "token", tokenId: "00000000-0000-4000-8000-000000000011", accountId: "00000000-0000-4000-8000-000000000012", accountEmail: "svc@x", scopes: ["ingest"] };
const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-tiny-disk-"));
let mounted = false;

afterAll(() => {
  if (mounted) execFileSync("umount", ["-l", mountPoint]);
  fs.rmSync(mountPoint, { recursive: true, force: true });
});

function record(batch: number, i: number): ScoredRecord {
  const p = ((i * 37 + batch) % 100) / 100;
  return {
    recordId: `disk-${batch}-${i}`,
    spend: { RoomService: i % 7 === 0 ? null : (i * 13) % 900, FoodCourt: (i * 7) % 1200, ShoppingMall: 0, Spa: (i * 3) % 500, VRDeck: 0 },
    context: { HomePlanet: ["Earth", "Europa", "Mars"][i % 3]!, Destination: "TRAPPIST-1e", Cabin: `F/${i}/P` },
    pModel: p,
    ensemble: Array.from({ length: 10 }, () => p),
    scorerVersion: "disk-1",
  };
}

describe("ingest when the database's disk is full", () => {
  it("refuses the batch that does not fit with a 503, keeps every acknowledged one, and stores it once space is back", async () => {
    expect(process.getuid?.(), "mounting the small disk needs root").toBe(0);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", mountPoint]);
    mounted = true;
    // The tablespace folder must belong to the server's own user.
    const serverUid = Number(/^Uid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${db.serverPid()}/status`, "utf8"))![1]);
    const serverGid = Number(/^Gid:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${db.serverPid()}/status`, "utf8"))![1]);
    fs.chownSync(mountPoint, serverUid, serverGid);

    const owner = createPrismaClient(db.url(), { max: 1, role: null });
    try {
      await owner.pool.query(`CREATE TABLESPACE tiny LOCATION '${mountPoint}'`);
      await owner.pool.query("ALTER TABLE gating_results SET TABLESPACE tiny");

      const acknowledged: string[] = [];
      let refused: { batchId: string; error: unknown } | null = null;
      for (let b = 0; b < 200 && !refused; b++) {
        const batchId = `disk-batch-${b}`;
        const request = { body: JSON.stringify({ batchId, records: Array.from({ length: 500 }, (_, i) => record(b, i)) }), contentType: "application/json", idempotencyKey: batchId };
        try {
          await ingestBatch(actor, request);
          acknowledged.push(batchId);
        } catch (error) {
          refused = { batchId, error };
        }
      }
      expect(refused, "the 4 MB disk never filled").not.toBeNull();
      expect(acknowledged.length).toBeGreaterThan(0);
      const mapped = asDomainError(refused!.error);
      expect(mapped).toBeInstanceOf(DatabaseBusyError);
      expect((mapped as DatabaseBusyError).reason).toBe("disk_full");
      expect((mapped as DatabaseBusyError).status).toBe(503);

      const stored = async (batchId: string) => Number((await db.handle().pool.query("SELECT count(*) FROM gating_results WHERE batch_id = $1", [batchId])).rows[0].count);
      for (const batchId of acknowledged) expect(await stored(batchId), batchId).toBe(500);
      expect(await stored(refused!.batchId)).toBe(0);

      // Space back (the table moves to the main disk); the same request now stores the batch once.
      await owner.pool.query("ALTER TABLE gating_results SET TABLESPACE pg_default");
      const b = Number(refused!.batchId.split("-").at(-1));
      await ingestBatch(actor, { body: JSON.stringify({ batchId: refused!.batchId, records: Array.from({ length: 500 }, (_, i) => record(b, i)) }), contentType: "application/json", idempotencyKey: refused!.batchId });
      expect(await stored(refused!.batchId)).toBe(500);
      await owner.pool.query("DROP TABLESPACE tiny");
    } finally {
      await owner.close();
    }
  }, 180_000);
});
