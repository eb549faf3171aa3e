-- Hand-written (invisible to the schema comparison; see docs/migrations.md), except the
-- table, which schema.prisma describes.

-- Signed tree heads only through the database's own check (governance spec §1): the app's
-- login loses INSERT on ledger_checkpoints and appends through ledger_checkpoint_append,
-- which refuses a head unless its key is registered, its head hash is the chain's at its
-- size, its root is the stored tree's root at that size and its Ed25519 signature
-- verifies (ledger_ed25519_verify, …_ledger_ed25519). Keys are registered by the owner
-- (npm start, from LEDGER_SIGNING_KEY or .data/secrets.json), never by the app: a login
-- that could register a key could sign whatever it likes.
CREATE TABLE "ledger_signing_keys" (
    "key_id" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ledger_signing_keys_pkey" PRIMARY KEY ("key_id")
);
REVOKE ALL ON "ledger_signing_keys" FROM sentinel_app;
GRANT SELECT ON "ledger_signing_keys" TO sentinel_app;
CREATE TRIGGER "ledger_signing_keys_no_update_delete" BEFORE UPDATE OR DELETE ON "ledger_signing_keys" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "ledger_signing_keys_no_truncate" BEFORE TRUNCATE ON "ledger_signing_keys" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();

-- The RFC 9162 root of the first p_size entries from the stored perfect subtrees: the
-- size's binary digits name them left to right; the root folds them from the right.
CREATE FUNCTION "ledger_tree_root"(p_size bigint) RETURNS bytea
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
  v_parts bytea[] := '{}';
  v_start bigint := 0;
  v_hash bytea;
  v_root bytea;
BEGIN
  IF p_size = 0 THEN RETURN sha256(''::bytea); END IF;
  FOR k IN REVERSE 62..0 LOOP
    IF (p_size >> k) & 1 = 1 THEN
      SELECT t."hash" INTO STRICT v_hash FROM "edit_log_tree" t WHERE t."level" = k AND t."idx" = v_start >> k;
      v_parts := v_parts || v_hash;
      v_start := v_start + (1::bigint << k);
    END IF;
  END LOOP;
  v_root := v_parts[array_length(v_parts, 1)];
  FOR i IN REVERSE array_length(v_parts, 1) - 1..1 LOOP
    v_root := sha256('\x01'::bytea || v_parts[i] || v_root);
  END LOOP;
  RETURN v_root;
END $$;

CREATE FUNCTION "ledger_checkpoint_append"(p_seq bigint, p_root_hash text, p_head_hash text, p_signed_at text, p_key_id text, p_public_key text, p_signature text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  v_head_seq bigint;
  v_hash text;
  v_id bigint;
  v_message text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM "ledger_signing_keys" k WHERE k."key_id" = p_key_id AND k."public_key" = p_public_key) THEN
    RAISE EXCEPTION 'keyId: % is not a registered signing key', p_key_id USING ERRCODE = 'SR422';
  END IF;
  SELECT h."seq" INTO v_head_seq FROM "edit_log_head" h WHERE h."id" = 1;
  IF p_seq < 0 OR p_seq > v_head_seq THEN
    RAISE EXCEPTION 'seq: % is not a size of the log (it holds % entries)', p_seq, v_head_seq USING ERRCODE = 'SR422';
  END IF;
  v_hash := CASE WHEN p_seq = 0 THEN repeat('0', 64) ELSE (SELECT e."hash" FROM "edit_log" e WHERE e."seq" = p_seq) END;
  IF v_hash IS DISTINCT FROM p_head_hash THEN
    RAISE EXCEPTION 'headHash: not the chain''s hash after % entries', p_seq USING ERRCODE = 'SR422';
  END IF;
  IF encode("ledger_tree_root"(p_seq), 'hex') IS DISTINCT FROM p_root_hash THEN
    RAISE EXCEPTION 'rootHash: not the Merkle root of the first % entries', p_seq USING ERRCODE = 'SR422';
  END IF;
  v_message := 'sentinel-ledger-tree-head' || E'\n' || p_seq::text || E'\n' || p_root_hash || E'\n' || p_head_hash || E'\n' || p_signed_at;
  IF NOT COALESCE("ledger_ed25519_verify"(decode(p_public_key, 'base64'), convert_to(v_message, 'UTF8'), decode(p_signature, 'base64')), false) THEN
    RAISE EXCEPTION 'signature: does not verify with the registered key %', p_key_id USING ERRCODE = 'SR422';
  END IF;
  INSERT INTO "ledger_checkpoints" ("seq", "root_hash", "head_hash", "signed_at", "key_id", "public_key", "signature")
  VALUES (p_seq, p_root_hash, p_head_hash, p_signed_at, p_key_id, p_public_key, p_signature) RETURNING "id" INTO v_id;
  RETURN v_id;
END $$;
ALTER FUNCTION "ledger_checkpoint_append"(bigint, text, text, text, text, text, text) SECURITY DEFINER SET search_path FROM CURRENT;
REVOKE ALL ON FUNCTION "ledger_checkpoint_append"(bigint, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "ledger_checkpoint_append"(bigint, text, text, text, text, text, text) TO sentinel_app;
REVOKE INSERT ON "ledger_checkpoints" FROM sentinel_app;
