-- CreateTable
CREATE TABLE "edit_log_tree" (
    "level" SMALLINT NOT NULL,
    "idx" BIGINT NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "edit_log_tree_pkey" PRIMARY KEY ("level","idx")
);

-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Writes leaf `p_seq` (the entry's hash, hex) and every perfect subtree it completes:
-- leaf = SHA-256(0x00 ‖ entry hash), node = SHA-256(0x01 ‖ left ‖ right) (RFC 9162 §2.1).
-- Appends are serialised by the chain head's lock, so the left sibling is always there.
CREATE FUNCTION "edit_log_tree_put"(p_seq bigint, p_hash text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v_level smallint := 0;
  v_idx bigint := p_seq - 1;
  v_hash bytea := sha256('\x00'::bytea || decode(p_hash, 'hex'));
  v_left bytea;
BEGIN
  INSERT INTO "edit_log_tree" ("level", "idx", "hash") VALUES (0, v_idx, v_hash);
  WHILE v_idx % 2 = 1 LOOP
    SELECT t."hash" INTO STRICT v_left FROM "edit_log_tree" t WHERE t."level" = v_level AND t."idx" = v_idx - 1;
    v_hash := sha256('\x01'::bytea || v_left || v_hash);
    v_level := v_level + 1;
    v_idx := (v_idx - 1) / 2;
    INSERT INTO "edit_log_tree" ("level", "idx", "hash") VALUES (v_level, v_idx, v_hash);
  END LOOP;
END $$;

CREATE FUNCTION "edit_log_tree_append"() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM "edit_log_tree_put"(NEW."seq", NEW."hash");
  RETURN NULL;
END $$;

-- The entries so far, in order.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT "seq", "hash" FROM "edit_log" ORDER BY "seq" LOOP
    PERFORM "edit_log_tree_put"(r."seq", r."hash");
  END LOOP;
END $$;

CREATE TRIGGER "edit_log_tree_on_append" AFTER INSERT ON "edit_log" FOR EACH ROW EXECUTE FUNCTION "edit_log_tree_append"();
CREATE TRIGGER "edit_log_tree_no_update_delete" BEFORE UPDATE OR DELETE ON "edit_log_tree" FOR EACH ROW EXECUTE FUNCTION "edit_log_refuse"();
CREATE TRIGGER "edit_log_tree_no_truncate" BEFORE TRUNCATE ON "edit_log_tree" FOR EACH STATEMENT EXECUTE FUNCTION "edit_log_refuse"();

-- The app reads the tree; only the trigger (as the owner) writes it.
REVOKE ALL ON "edit_log_tree" FROM sentinel_app;
GRANT SELECT ON "edit_log_tree" TO sentinel_app;
REVOKE ALL ON FUNCTION "edit_log_tree_put"(bigint, text) FROM PUBLIC;
