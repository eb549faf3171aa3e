import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { verifyConsistency, verifyInclusion } from "../lib/ledger/merkle";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { appendNote, issueToken, newApiContext, signTreeHead } from "./support";

const stamp = Date.now().toString(36);
const record = (id: string, spend: Record<string, number | null> = { RoomService: 0, FoodCourt: 12, ShoppingMall: null, Spa: 0, VRDeck: 3 }) => ({
  recordId: id,
  spend,
  context: { HomePlanet: "Europa", Destination: "55 Cancri e", Cabin: "C/4/P", CryoSleep: false, Age: 40 },
  pModel: 0.7,
  ensemble: [0.7, 0.72, 0.69, 0.71, 0.7, 0.68, 0.7, 0.73, 0.7, 0.7],
  scorerVersion: "e2e-1",
});

test.describe("ingest API (POST /api/v1/batches)", () => {
  let api: APIRequestContext;
  let ingest: string;
  let readOnly: string;

  test.beforeAll(async ({ baseURL }) => {
    api = await newApiContext(baseURL!);
    ingest = issueToken(`e2e-ingest-${stamp}`, "ingest");
    readOnly = issueToken(`e2e-read-${stamp}`, "read");
  });
  test.afterAll(async () => api.dispose());

  const post = (token: string | null, data: string | Buffer, contentType: string, headers: Record<string, string> = {}) =>
    api.post("/api/v1/batches", { data, headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), "Content-Type": contentType, ...headers } });

  test("accepts a JSON batch, replays it byte for byte under the same key, refuses a different body", async () => {
    const body = JSON.stringify({ records: [record(`e2e-${stamp}-1`), record(`e2e-${stamp}-2`)] });
    const first = await post(ingest, body, "application/json", { "Idempotency-Key": `k-${stamp}` });
    expect(first.status()).toBe(201);
    const summary = await first.json();
    expect(summary).toMatchObject({ records: 2, policy: { id: expect.stringMatching(/^policy-/) }, hold: { held: expect.any(Boolean) } });
    const replay = await post(ingest, body, "application/json", { "Idempotency-Key": `k-${stamp}` });
    expect(replay.status()).toBe(201);
    expect(replay.headers()["idempotent-replayed"]).toBe("true");
    expect(await replay.text()).toBe(await first.text());
    const other = await post(ingest, JSON.stringify({ records: [record(`e2e-${stamp}-3`)] }), "application/json", { "Idempotency-Key": `k-${stamp}` });
    expect(other.status()).toBe(409);
  });

  test("gates a Kaggle-dialect CSV of thousands of rows as one batch; a replay changes nothing; a bad row is named", async () => {
    const lines = readFileSync("data/spaceship-titanic/train.csv", "utf8").replace(/\r\n/g, "\n").split("\n");
    const rows = lines.slice(1, 3001).map((l) => l.replace(/^(\d{4})_/, `$1${stamp}_`).replace(/NaN/g, "").replace(/TRUE/g, "True").replace(/FALSE/g, "False"));
    const csv = [lines[0], ...rows].join("\n");
    const ok = await post(ingest, csv, "text/csv", { "Idempotency-Key": `csv-${stamp}` });
    expect(ok.status(), await ok.text()).toBe(201);
    const summary = await ok.json();
    expect(summary.records).toBe(3000);
    const replay = await post(ingest, csv, "text/csv", { "Idempotency-Key": `csv-${stamp}` });
    expect(await replay.text()).toBe(await ok.text());
    const pg = await import("pg");
    const client = new pg.default.Client({ connectionString: process.env.E2E_DATABASE_URL });
    await client.connect();
    const { rows: counted } = await client.query("SELECT count(*)::int AS n, max(version) AS v FROM gating_results WHERE batch_id = $1", [summary.batchId]);
    await client.end();
    expect(counted[0]).toEqual({ n: 3000, v: 1 });

    rows[4] = rows[4]!.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, "$1-1");
    const bad = await post(ingest, [lines[0], ...rows].join("\n"), "text/csv");
    expect(bad.status()).toBe(422);
    const error = (await bad.json()).error;
    expect(error.fields).toHaveProperty(["line 6, RoomService"]);
    expect(error.message).toContain("nothing was written");
  });

  test("answers each kind of bad request with its status and a precise error", async () => {
    const invalid = await post(ingest, JSON.stringify({ records: [record(`e2e-${stamp}-x`), record(`e2e-${stamp}-y`, { RoomService: -1, FoodCourt: 0, ShoppingMall: 0, Spa: 0, VRDeck: 0 })] }), "application/json");
    expect(invalid.status()).toBe(422);
    expect((await invalid.json()).error.fields).toHaveProperty(["records[1].spend.RoomService"]);
    expect((await post(ingest, Buffer.from("{"), "application/json")).status()).toBe(400);
    expect((await post(ingest, "{}", "text/plain")).status()).toBe(415);
    expect((await post(null, "{}", "application/json")).status()).toBe(401);
    const forbidden = await post(readOnly, "{}", "application/json");
    expect(forbidden.status()).toBe(403);
    expect((await forbidden.json()).error.message).toContain('lacks the scope "ingest"');
    const huge = await post(ingest, Buffer.alloc(32 * 1024 * 1024 + 10, 0x20), "application/json");
    expect(huge.status()).toBe(413);
  });
});

test.describe("label feedback (POST /api/v1/labels)", () => {
  let api: APIRequestContext;
  let ingest: string;
  let readOnly: string;
  test.beforeAll(async ({ baseURL }) => {
    api = await newApiContext(baseURL!);
    ingest = issueToken(`e2e-labels-${stamp}`, "ingest");
    readOnly = issueToken(`e2e-labels-read-${stamp}`, "read");
  });
  test.afterAll(async () => api.dispose());
  const post = (token: string, labels: unknown[]) =>
    api.post("/api/v1/labels", { data: JSON.stringify({ labels }), headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" } });
  const label = (recordId: string, value: boolean) => ({ recordId, label: value, observedAt: "2026-11-30T12:00:00Z", source: "e2e-claims" });

  test("stores outcomes of ingested records; a replay writes nothing; a contradiction is a 409 and an unknown record a 422 naming it", async () => {
    const ids = [`e2e-${stamp}-l1`, `e2e-${stamp}-l2`];
    const batch = await api.post("/api/v1/batches", { data: JSON.stringify({ records: ids.map((id) => record(id)) }), headers: { Authorization: `Bearer ${ingest}`, "Content-Type": "application/json" } });
    expect(batch.status()).toBe(201);

    const first = await post(ingest, [label(ids[0]!, true)]);
    expect(first.status()).toBe(201);
    expect(await first.json()).toMatchObject({ received: 1, written: 1, unchanged: 0 });
    const replay = await post(ingest, [label(ids[0]!, true)]);
    expect(replay.status()).toBe(200);
    expect(await replay.json()).toMatchObject({ written: 0, unchanged: 1 });

    const conflict = await post(ingest, [label(ids[1]!, true), label(ids[0]!, false)]);
    expect(conflict.status()).toBe(409);
    expect((await conflict.json()).error.message).toContain(`record "${ids[0]}"`);
    const unknown = await post(ingest, [label(ids[1]!, true), label(`e2e-${stamp}-never`, false)]);
    expect(unknown.status()).toBe(422);
    expect((await unknown.json()).error.fields).toEqual({ "labels[1].recordId": [`no record "e2e-${stamp}-never" was ever ingested`] });
    // Neither refused request wrote its label for the second record.
    expect(await (await post(ingest, [label(ids[1]!, false)])).json()).toMatchObject({ written: 1 });

    const invalid = await post(ingest, [{ ...label(ids[1]!, false), label: "false" }]);
    expect(invalid.status()).toBe(422);
    expect((await invalid.json()).error.fields).toHaveProperty(["labels[0].label"]);
    expect((await post(readOnly, [label(ids[1]!, false)])).status()).toBe(403);
  });
});

test.describe("read API", () => {
  let api: APIRequestContext;
  let read: string;
  test.beforeAll(async ({ baseURL }) => {
    api = await newApiContext(baseURL!);
    read = issueToken(`e2e-reader-${stamp}`, "read");
  });
  test.afterAll(async () => api.dispose());
  const get = (path: string) => api.get(path, { headers: { Authorization: `Bearer ${read}` } });

  test("pages the queue by cursor, shows a result with provenance and versions, and a batch", async () => {
    const first = await get("/api/v1/queue?flag=AGGREGATE_MEDIUM_HIGH&limit=100");
    expect(first.status()).toBe(200);
    const page1 = await first.json();
    expect(page1.items).toHaveLength(100);
    expect(page1.items[0]).toHaveProperty("recordId");
    const second = await (await get(`/api/v1/queue?flag=AGGREGATE_MEDIUM_HIGH&limit=100&cursor=${page1.nextCursor}`)).json();
    const ids = new Set(page1.items.map((i: { recordId: string }) => i.recordId));
    for (const item of second.items) expect(ids.has(item.recordId)).toBe(false);

    const forged = await get("/api/v1/queue?cursor=eyJzIjoiYWdlIn0");
    expect(forged.status()).toBe(422);
    expect((await forged.json()).error.fields).toHaveProperty("cursor");
    const badSort = await get("/api/v1/queue?sort=p_model");
    expect(badSort.status()).toBe(422);
    expect((await badSort.json()).error.fields).toHaveProperty("sort");
    expect((await get("/api/v1/queue?limit=501")).status()).toBe(422);

    const result = await (await get("/api/v1/results/0254_01")).json();
    // By its id, and by the signature of its failure shape (which catches new ids too).
    expect(result.current.provenance.canaryMatches).toEqual(["id:0254_01", "signature:medium-spends-summing-high"]);
    expect(result.current.provenance.spend).toHaveProperty("RoomService");
    expect(result.versions.length).toBeGreaterThanOrEqual(1);
    expect((await get("/api/v1/results/no-such-record")).status()).toBe(404);

    const verify = await get("/api/v1/ledger/verify");
    expect(verify.status()).toBe(200);
    expect(await verify.json()).toMatchObject({ ok: true });
    const exported = await get("/api/v1/ledger/export");
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-type"]).toContain("application/x-ndjson");

    // Proofs are served only against signed tree heads, and a token cannot sign: before one,
    // a proof of the newest entry is refused (wait for or sign the next head).
    const earlier = signTreeHead();
    expect(earlier).toMatchObject({ treeSize: expect.stringMatching(/^[1-9]\d*$/), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const count = Number(earlier.treeSize);
    await appendNote(`e2e-${stamp}-proof`);
    const unsigned = await get(`/api/v1/ledger/proof/inclusion/${count + 1}`); // the note, newer than every head
    expect(unsigned.status()).toBe(422);
    expect((await unsigned.json()).error.fields.seq[0]).toMatch(/newer than the latest signed tree head \(\d+ entries\): wait for the next tree head, or sign one/);
    const neverSigned = await get(`/api/v1/ledger/proof/inclusion/1?treeSize=${count + 1}`);
    expect(neverSigned.status()).toBe(422);
    expect((await neverSigned.json()).error.fields).toEqual({ treeSize: [`must be the size of a signed tree head; ${count + 1} was never signed`] });
    const later = signTreeHead();
    const size = Number(later.treeSize);
    expect(size).toBeGreaterThan(count);

    // One entry's RFC 9162 inclusion proof (default: the latest signed head) and a consistency
    // proof between the two heads, verified as an auditor would.
    const inclusion = await get(`/api/v1/ledger/proof/inclusion/1`);
    expect(inclusion.status()).toBe(200);
    const p = await inclusion.json();
    expect(p).toMatchObject({ seq: 1, leafIndex: 0, treeSize: size, treeHead: { treeSize: size, rootHash: later.rootHash, keyId: later.keyId } });
    expect(verifyInclusion(p.leafIndex, p.treeSize, p.leafHash, p.auditPath, p.rootHash)).toBe(true);
    const consistency = await (await get(`/api/v1/ledger/proof/consistency?first=${count}&second=${size}`)).json();
    expect(verifyConsistency(count, size, consistency.path, consistency.firstRoot, consistency.secondRoot)).toBe(true);
    expect(consistency).toMatchObject({ firstRoot: earlier.rootHash, secondRoot: p.rootHash, firstTreeHead: { treeSize: count }, secondTreeHead: { treeSize: size } });
    // The auditor's scripts (docs/ledger.md), Node and Python with the standard library only,
    // agree — with the key pinned (as published on the edit log page), never the proof's own.
    const proofDir = mkdtempSync(path.join(tmpdir(), "e2e-proof-"));
    writeFileSync(path.join(proofDir, "inclusion.json"), JSON.stringify(p));
    writeFileSync(path.join(proofDir, "consistency.json"), JSON.stringify(consistency));
    for (const [command, script] of [[process.execPath, "docs/ledger-proof.mjs"], ["python3", "docs/ledger_proof.py"]] as const) {
      const inc = spawnSync(command, [script, "inclusion", path.join(proofDir, "inclusion.json"), p.entryHash, "--key", later.publicKey], { encoding: "utf8" });
      expect(inc.status, inc.stderr).toBe(0);
      expect(inc.stdout).toContain(`ok: entry 1 is leaf 0 of the tree of ${size} entries with root ${p.rootHash}, signed by key ${later.keyId}`);
      const con = spawnSync(command, [script, "consistency", path.join(proofDir, "consistency.json"), "--key", later.publicKey], { encoding: "utf8" });
      expect(con.status, con.stderr).toBe(0);
      expect(con.stdout).toContain(`extends the tree of ${count}`);
    }
    const beyond = await get(`/api/v1/ledger/proof/inclusion/${size}?treeSize=${count}`);
    expect(beyond.status()).toBe(422);
    expect((await beyond.json()).error.fields).toHaveProperty("seq");
    const backwards = await get("/api/v1/ledger/proof/consistency?first=2&second=1");
    expect(backwards.status()).toBe(422);
    expect((await backwards.json()).error.fields).toHaveProperty("first");

    const openapi = await api.get("/api/v1/openapi.json");
    expect(openapi.status()).toBe(200);
    expect((await openapi.json()).openapi).toBe("3.1.0");

    const batch = await (await get("/api/v1/batches/demo-001")).json();
    expect(batch).toMatchObject({ id: "demo-001", size: 10, fragileCount: 3, hold: { held: true } });
  });
});

test.describe("governance figures API", () => {
  test("GET /api/v1/governance/overrides and /routing give the pages' figures to a read token and name a bad window", async ({ baseURL }) => {
    const api = await newApiContext(baseURL!);
    const read = issueToken(`e2e-gov-read-${stamp}`, "read");
    const get = (query: string) => api.get(`/api/v1/governance/overrides${query}`, { headers: { Authorization: `Bearer ${read}` } });
    const ok = await get("?weeks=4");
    expect(ok.status()).toBe(200);
    const body = await ok.json();
    expect(body).toMatchObject({ threshold: 0.15, weeks: 4 });
    expect(body.trend).toHaveLength(4);
    // The demo's eight decisions are in this week's row at least.
    expect(body.total.decisions).toBeGreaterThanOrEqual(8);
    expect(body.total.rate).toBeCloseTo(body.total.overrides / body.total.decisions, 12);
    expect(body.by.analyst.length).toBeGreaterThan(0);
    const routing = await api.get("/api/v1/governance/routing?days=7", { headers: { Authorization: `Bearer ${read}` } });
    expect(routing.status()).toBe(200);
    const health = await routing.json();
    expect(health.series).toHaveLength(7);
    expect(health.total.results).toBeGreaterThanOrEqual(8693);
    expect(health.canaries.map((c: { route: string }) => c.route)).toEqual(["audit", "audit", "audit"]);
    expect(health.quality.labelled.feedback).toBeGreaterThan(5000);
    expect(health.drift.reference.rows).toBe(5237);
    expect(health.drift.variables.map((v: { variable: string; window: { level: string } }) => `${v.variable} ${v.window.level}`)).toEqual(
      ["pModel", "RoomService", "FoodCourt", "ShoppingMall", "Spa", "VRDeck"].map((v) => `${v} stable`),
    );
    expect((await api.get("/api/v1/governance/routing?days=999", { headers: { Authorization: `Bearer ${read}` } })).status()).toBe(400);
    const bad = await get("?weeks=0");
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.message).toContain("weeks must be a whole number of weeks from 1 to 104");
    await api.dispose();
  });

  test("GET /api/v1/governance/slices and /alerts give the pages' figures to a read token and name a bad parameter", async ({ baseURL }) => {
    const api = await newApiContext(baseURL!);
    const read = issueToken(`e2e-gov-read2-${stamp}`, "read");
    const get = (path: string) => api.get(path, { headers: { Authorization: `Bearer ${read}` } });
    const slices = await get("/api/v1/governance/slices?days=7&slice=flag:SUPER_DOMINANT");
    expect(slices.status()).toBe(200);
    const kpis = await slices.json();
    const all = kpis.slices[0];
    expect(all).toMatchObject({ dimension: "all", key: "" });
    expect(all.records).toBeGreaterThanOrEqual(8693);
    // Each record has one HomePlanet (∅ when missing): the HomePlanet slices add up to all records.
    const planets = kpis.slices.filter((s: { dimension: string }) => s.dimension === "home_planet");
    expect(planets.reduce((n: number, s: { records: number }) => n + s.records, 0)).toBe(all.records);
    expect(kpis.selected.slice).toEqual({ dimension: "flag", key: "SUPER_DOMINANT" });
    expect(kpis.selected.reliability.reduce((n: number, b: { labelled: number }) => n + b.labelled, 0)).toBe(kpis.selected.row.labelled);
    const badSlice = await get("/api/v1/governance/slices?slice=planet:Mars");
    expect(badSlice.status()).toBe(400);
    expect((await badSlice.json()).error.message).toContain("slice must be all or <dimension>:<value>");
    expect((await get("/api/v1/governance/slices?slice=home_planet:Pluto")).status()).toBe(400);

    const alerts = await get("/api/v1/governance/alerts?status=all");
    expect(alerts.status()).toBe(200);
    const list = await alerts.json();
    expect(list.status).toBe("all");
    // The first-run seed's evaluation raises the demo's out-of-band fragile share.
    expect(list.alerts.some((a: { rule: string }) => a.rule === "fragile_share_out_of_band")).toBe(true);
    const badStatus = await get("/api/v1/governance/alerts?status=closed");
    expect(badStatus.status()).toBe(400);
    expect((await badStatus.json()).error.message).toBe("status must be open or all.");
    await api.dispose();
  });
});

test("answers 429 with Retry-After once a token's per-minute budget is spent", async ({ baseURL }) => {
  const api = await newApiContext(baseURL!);
  const limited = issueToken(`e2e-limited-${stamp}`, "read,ingest", ["--read-per-minute", "3", "--ingest-per-minute", "1"]);
  const get = () => api.get("/api/v1/token", { headers: { Authorization: `Bearer ${limited}` } });
  for (let i = 0; i < 3; i++) expect((await get()).status()).toBe(200);
  const over = await get();
  expect(over.status()).toBe(429);
  expect(Number(over.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
  expect((await over.json()).error.code).toBe("rate_limited");
  const body = JSON.stringify({ records: [record(`e2e-${stamp}-rl`)] });
  const post = () => api.post("/api/v1/batches", { data: body, headers: { Authorization: `Bearer ${limited}`, "Content-Type": "application/json" } });
  expect((await post()).status()).toBe(201);
  expect((await post()).status()).toBe(429);
  await api.dispose();
});

test("npm run ingest sends a file in batches, resumes without duplicates and names a bad row", async ({ baseURL }) => {
  const token = issueToken(`e2e-cli-${stamp}`, "ingest");
  const dir = mkdtempSync(path.join(tmpdir(), "ingest-cli-"));
  const lines = readFileSync("data/spaceship-titanic/train.csv", "utf8").replace(/\r\n/g, "\n").split("\n");
  const rows = lines.slice(301, 351).map((l) => l.replace(/^(\d{4})_/, `$1c${stamp}_`));
  const file = path.join(dir, "passengers.csv");
  writeFileSync(file, [lines[0], ...rows].join("\n"));
  const run = (f: string) =>
    spawnSync(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/ingest.ts", "--file", f, "--batch-size", "20", "--url", baseURL!, "--token", token], { encoding: "utf8", timeout: 120_000 });
  const first = run(file);
  expect(first.status, first.stderr).toBe(0);
  expect(first.stderr).toMatch(/sent 50 records in 3 batches \(0 replayed/);
  const again = run(file);
  expect(again.status, again.stderr).toBe(0);
  expect(again.stderr).toMatch(/sent 50 records in 3 batches \(3 replayed/);
  const pg = await import("pg");
  const client = new pg.default.Client({ connectionString: process.env.E2E_DATABASE_URL });
  await client.connect();
  const { rows: counted } = await client.query("SELECT count(*)::int AS n FROM gating_results WHERE record_id LIKE $1", [`%c${stamp}_%`]);
  await client.end();
  expect(counted[0].n).toBe(50);

  const bad = path.join(dir, "bad.csv");
  writeFileSync(bad, [lines[0], ...rows.map((r, i) => (i === 4 ? r.replace(/^([^,]*,[^,]*,)[^,]*/, "$1perhaps") : r))].join("\n"));
  const refused = run(bad);
  expect(refused.status).toBe(2);
  expect(refused.stderr).toContain("line 6, CryoSleep:");
  expect(refused.stderr).toContain("nothing was sent");
});
