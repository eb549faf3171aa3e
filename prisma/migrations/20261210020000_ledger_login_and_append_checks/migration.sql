-- Hand-written (invisible to the schema comparison; see docs/migrations.md), except the
-- two tables, which schema.prisma describes.

-- 1. The app's own login (governance spec §1). Until now the app logged in as whatever user
-- DATABASE_URL named (a superuser in CI and on the embedded server) and only switched to
-- sentinel_app, so `SET ROLE NONE` gave the superuser back. sentinel_login logs in, is no
-- superuser, owns nothing and is not a member of the owner; NOINHERIT: without
-- `role=sentinel_app` (which every app connection sets) it holds no privilege at all.
-- Roles are server-wide; its password (if the server asks for one) is set by whoever runs
-- the server: the embedded server sets it at every start (lib/db/embedded/server.ts).
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sentinel_login') THEN
    BEGIN
      CREATE ROLE sentinel_login LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; -- a concurrent migration made it
    END;
  END IF;
END $$;
GRANT sentinel_app TO sentinel_login;

-- 2. What the database checks before it appends. The permission map (lib/auth/permissions.ts)
-- and the closed set of actions per subject (lib/ledger/actions.ts) mirrored in two tables
-- this migration writes; lib/data/ledger.test.ts proves they equal the TypeScript. A change
-- to either is a new migration.
CREATE TABLE "ledger_role_permissions" (
    "role" TEXT NOT NULL,
    "permission" TEXT NOT NULL,
    CONSTRAINT "ledger_role_permissions_pkey" PRIMARY KEY ("role","permission")
);
CREATE TABLE "ledger_actions" (
    "subject_type" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "permission" TEXT NOT NULL,
    "system_rule" TEXT,
    CONSTRAINT "ledger_actions_pkey" PRIMARY KEY ("subject_type","action")
);
REVOKE ALL ON "ledger_role_permissions", "ledger_actions" FROM sentinel_app;
GRANT SELECT ON "ledger_role_permissions", "ledger_actions" TO sentinel_app;

INSERT INTO "ledger_role_permissions" ("role", "permission") VALUES
  ('analyst', 'queue:read'), ('analyst', 'records:decide'), ('analyst', 'events:read'), ('analyst', 'events:decide'),
  ('lead', 'queue:read'), ('lead', 'records:decide'), ('lead', 'events:read'), ('lead', 'events:decide'),
  ('lead', 'records:bulk'), ('lead', 'records:amend'), ('lead', 'batches:release'), ('lead', 'events:finalise'),
  ('governance', 'queue:read'), ('governance', 'events:read'), ('governance', 'governance:read'), ('governance', 'ledger:sign'),
  ('governance', 'alerts:acknowledge'), ('governance', 'policies:propose'), ('governance', 'policies:approve'),
  ('governance', 'dashboards:read'), ('governance', 'models:read'), ('governance', 'models:promote'),
  ('manager', 'dashboards:read'), ('manager', 'models:read'),
  ('admin', 'users:manage'), ('admin', 'tokens:manage');

INSERT INTO "ledger_actions" ("subject_type", "action", "permission", "system_rule") VALUES
  ('record', 'claim', 'records:decide', NULL), ('record', 'takeover', 'records:decide', NULL),
  ('record', 'confirm', 'records:decide', NULL), ('record', 'override', 'records:decide', NULL),
  ('record', 'note', 'records:decide', NULL), ('record', 'amend', 'records:amend', NULL),
  ('batch', 'release', 'batches:release', NULL),
  ('event', 'confirm', 'events:decide', 'weekend_auto_confirm'), ('event', 'override', 'events:decide', NULL),
  ('event', 'note', 'events:decide', NULL), ('event', 'finalise', 'events:finalise', NULL), ('event', 'reopen', 'events:finalise', NULL),
  ('policy', 'propose', 'policies:propose', NULL), ('policy', 'propose_rollback', 'policies:propose', NULL),
  ('policy', 'approve', 'policies:approve', NULL), ('policy', 'activate', 'policies:approve', NULL), ('policy', 'reject', 'policies:approve', NULL),
  ('alert', 'acknowledge', 'alerts:acknowledge', NULL),
  ('user', 'user_created', 'users:manage', NULL), ('user', 'role_changed', 'users:manage', NULL),
  ('user', 'user_deactivated', 'users:manage', NULL), ('user', 'user_reactivated', 'users:manage', NULL),
  ('service_account', 'service_account_created', 'tokens:manage', NULL), ('service_account', 'scopes_changed', 'tokens:manage', NULL),
  ('service_account', 'service_account_deactivated', 'tokens:manage', NULL), ('service_account', 'service_account_reactivated', 'tokens:manage', NULL),
  ('api_token', 'token_created', 'tokens:manage', NULL), ('api_token', 'token_revoked', 'tokens:manage', NULL);

-- RFC 8785 canonical JSON, recomputed in SQL: an entry's `c` must equal the canonical form
-- of what it parses to, so a non-canonical `c` (spaces, key order, duplicate keys, 1.0 for
-- 1, escaped '/') can never enter the log and break every later verification.
-- Keys sort by UTF-16 code units (RFC 8785 §3.2.3): each key as its UTF-16BE bytes, whose
-- byte order is the order of the units (an ASCII key is its bytes, each after a 0x00).
CREATE FUNCTION "ledger_utf16_key"(p_key text) RETURNS bytea
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT CASE WHEN octet_length(p_key) = char_length(p_key)
    THEN decode(regexp_replace(encode(convert_to(p_key, 'UTF8'), 'hex'), '(..)', '00\1', 'g'), 'hex')
    ELSE (
      SELECT string_agg(CASE WHEN cp < 65536 THEN decode(lpad(to_hex(cp), 4, '0'), 'hex')
        ELSE decode(lpad(to_hex(55296 + ((cp - 65536) >> 10)), 4, '0') || lpad(to_hex(56320 + ((cp - 65536) & 1023)), 4, '0'), 'hex') END, ''::bytea ORDER BY i)
      FROM (SELECT ascii(ch) AS cp, i FROM regexp_split_to_table(p_key, '') WITH ORDINALITY AS s(ch, i)) chars
    ) END
$$;

-- A number as ECMAScript's Number.prototype.toString writes it (RFC 8785 §3.2.2.3): the
-- shortest round-trip digits of the IEEE 754 double (PostgreSQL's float8 output with
-- extra_float_digits = 1 gives exactly those), placed by ECMAScript's rules.
CREATE FUNCTION "ledger_canonical_number"(p_value numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE SET extra_float_digits = 1 AS $$
DECLARE
  v_text text;
  v_sign text := '';
  v_mantissa text;
  v_exponent integer := 0;
  v_digits text;
  v_n integer;
  v_k integer;
BEGIN
  v_text := (p_value::float8)::text; -- raises for a number no double holds
  IF v_text IN ('0', '-0') THEN RETURN '0'; END IF;
  IF left(v_text, 1) = '-' THEN v_sign := '-'; v_text := substr(v_text, 2); END IF;
  v_mantissa := split_part(v_text, 'e', 1);
  IF position('e' IN v_text) > 0 THEN v_exponent := split_part(v_text, 'e', 2)::integer; END IF;
  -- value = 0.<digits> × 10^n
  v_digits := split_part(v_mantissa, '.', 1) || split_part(v_mantissa, '.', 2);
  v_n := length(split_part(v_mantissa, '.', 1)) + v_exponent;
  v_k := length(v_digits);
  v_digits := ltrim(v_digits, '0');
  v_n := v_n - (v_k - length(v_digits));
  v_digits := rtrim(v_digits, '0');
  v_k := length(v_digits);
  IF v_k <= v_n AND v_n <= 21 THEN RETURN v_sign || v_digits || repeat('0', v_n - v_k); END IF;
  IF 0 < v_n AND v_n <= 21 THEN RETURN v_sign || left(v_digits, v_n) || '.' || substr(v_digits, v_n + 1); END IF;
  IF -6 < v_n AND v_n <= 0 THEN RETURN v_sign || '0.' || repeat('0', -v_n) || v_digits; END IF;
  RETURN v_sign || left(v_digits, 1) || CASE WHEN v_k > 1 THEN '.' || substr(v_digits, 2) ELSE '' END
    || 'e' || CASE WHEN v_n - 1 >= 0 THEN '+' ELSE '-' END || abs(v_n - 1)::text;
END $$;

-- Strings keep PostgreSQL's JSON escaping, which is ECMAScript's: \" \\ \b \f \n \r \t,
-- other controls as \u00xx, everything else as it is. Keys: while no character from U+E000
-- up occurs (`p_c_order`, decided once at the top), code point order (COLLATE "C") is the
-- UTF-16 order, and much cheaper than the units themselves.
CREATE FUNCTION "ledger_canonical_json"(p_value jsonb, p_c_order boolean DEFAULT NULL) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF p_c_order IS NULL THEN p_c_order := p_value::text !~ '[\uE000-\U0010FFFF]'; END IF;
  CASE jsonb_typeof(p_value)
    WHEN 'object' THEN
      IF p_c_order THEN
        RETURN '{' || COALESCE((SELECT string_agg(to_json(k)::text || ':' || "ledger_canonical_json"(v, true), ',' ORDER BY k COLLATE "C")
          FROM jsonb_each(p_value) AS e(k, v)), '') || '}';
      END IF;
      RETURN '{' || COALESCE((SELECT string_agg(to_json(k)::text || ':' || "ledger_canonical_json"(v, false), ',' ORDER BY "ledger_utf16_key"(k))
        FROM jsonb_each(p_value) AS e(k, v)), '') || '}';
    WHEN 'array' THEN
      RETURN '[' || COALESCE((SELECT string_agg("ledger_canonical_json"(v, p_c_order), ',' ORDER BY i)
        FROM jsonb_array_elements(p_value) WITH ORDINALITY AS a(v, i)), '') || ']';
    WHEN 'number' THEN
      RETURN "ledger_canonical_number"((p_value #>> '{}')::numeric);
    ELSE
      RETURN p_value::text; -- a string (escaped as above), true, false, null
  END CASE;
END $$;

-- 3. The append function checks the entry before anything else (each refusal SR422 naming
-- the field and the rule): canonical content, the closed subject types and actions, the
-- actor (a user who exists, is active, holds the role the entry names and whose role has
-- the action's permission; or the system rule the action allows), and effectiveAt no more
-- than 5 minutes after recording nor more than 5 minutes (clock skew) before the subject
-- existed. Everything after the checks is as in …_edit_log_request_once.
CREATE OR REPLACE FUNCTION "edit_log_append"(p_c text, p_expected_version integer, p_expected_decision_version integer)
RETURNS TABLE ("seq" bigint, "hash" text, "recorded_at" text, "subject_version" integer, "decision_version" integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_entry jsonb;
  v_head_seq bigint;
  v_head_hash text;
  v_version integer;
  v_decision integer;
  v_bump integer;
  v_now timestamptz;
  v_effective timestamptz;
  v_text text;
  v_hash text;
  v_type text;
  v_id text;
  v_action text;
  v_rule "ledger_actions"%ROWTYPE;
  v_actor jsonb;
  v_user_role text;
  v_user_active boolean;
  v_existed timestamptz;
BEGIN
  BEGIN
    v_entry := p_c::jsonb;
    v_effective := (v_entry->>'effectiveAt')::timestamptz;
  EXCEPTION WHEN others THEN
    RAISE EXCEPTION 'edit log entry is not valid JSON with an effectiveAt time' USING ERRCODE = 'SR422';
  END;
  IF jsonb_typeof(v_entry) <> 'object' OR "ledger_canonical_json"(v_entry) <> p_c THEN
    RAISE EXCEPTION 'edit log entry is not canonical JSON (RFC 8785): its content must be exactly the canonical form of what it says' USING ERRCODE = 'SR422';
  END IF;
  v_type := v_entry->>'subjectType';
  v_id := v_entry->>'subjectId';
  v_action := v_entry->>'action';
  v_actor := v_entry->'actor';
  IF v_type IS NULL OR v_id IS NULL OR v_action IS NULL OR jsonb_typeof(v_actor) IS DISTINCT FROM 'object' THEN
    RAISE EXCEPTION 'edit log entry needs subjectType, subjectId, action and actor' USING ERRCODE = 'SR422';
  END IF;

  IF NOT EXISTS (SELECT 1 FROM "ledger_actions" a WHERE a."subject_type" = v_type) THEN
    RAISE EXCEPTION 'subjectType "%" is not one of %', v_type,
      (SELECT string_agg(DISTINCT a."subject_type", ', ') FROM "ledger_actions" a) USING ERRCODE = 'SR422';
  END IF;
  SELECT * INTO v_rule FROM "ledger_actions" a WHERE a."subject_type" = v_type AND a."action" = v_action;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'action "%" is not one of % for a %', v_action,
      (SELECT string_agg(a."action", ', ' ORDER BY a."action") FROM "ledger_actions" a WHERE a."subject_type" = v_type), v_type USING ERRCODE = 'SR422';
  END IF;

  IF v_actor->>'type' = 'user' THEN
    IF COALESCE(v_actor->>'id', '') !~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' THEN
      RAISE EXCEPTION 'actor.id must be a user id' USING ERRCODE = 'SR422';
    END IF;
    SELECT u."role"::text, u."active" INTO v_user_role, v_user_active FROM "users" u WHERE u."id" = (v_actor->>'id')::uuid;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'actor.id: no user % exists', v_actor->>'id' USING ERRCODE = 'SR422';
    END IF;
    IF NOT v_user_active THEN
      RAISE EXCEPTION 'actor.id: user % is deactivated', v_actor->>'id' USING ERRCODE = 'SR422';
    END IF;
    IF v_user_role IS DISTINCT FROM v_actor->>'role' THEN
      RAISE EXCEPTION 'actor.role: user % holds the role %, not %', v_actor->>'id', COALESCE(v_user_role, 'none'), v_actor->>'role' USING ERRCODE = 'SR422';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM "ledger_role_permissions" p WHERE p."role" = v_user_role AND p."permission" = v_rule."permission") THEN
      RAISE EXCEPTION 'actor.role: a % may not % a % (it needs %)', v_user_role, v_action, v_type, v_rule."permission" USING ERRCODE = 'SR422';
    END IF;
  ELSIF v_actor->>'type' = 'system' THEN
    IF v_rule."system_rule" IS DISTINCT FROM v_actor->>'rule' THEN
      RAISE EXCEPTION 'actor.rule: no system rule may % a % except %', v_action, v_type, COALESCE(v_rule."system_rule", 'none') USING ERRCODE = 'SR422';
    END IF;
  ELSE
    RAISE EXCEPTION 'actor.type must be user or system' USING ERRCODE = 'SR422';
  END IF;

  -- When the subject came to exist, where the database knows it (an event's time is the
  -- shops' own clock, replayed from their logs, so it has none here).
  v_existed := CASE v_type
    WHEN 'record' THEN (SELECT r."created_at" FROM "scored_records" r WHERE r."record_id" = v_id)
    WHEN 'batch' THEN (SELECT b."created_at" FROM "ingest_batches" b WHERE b."id" = v_id)
    WHEN 'policy' THEN (SELECT p."created_at" FROM "policy_snapshots" p WHERE p."id" = v_id)
    WHEN 'alert' THEN (SELECT a."raised_at" FROM "alerts" a WHERE v_id ~ '^[0-9]{1,18}$' AND a."id" = v_id::bigint)
    WHEN 'api_token' THEN (SELECT t."created_at" FROM "api_tokens" t WHERE v_id ~* '^[0-9a-f-]{36}$' AND t."id" = v_id::uuid)
    ELSE (SELECT u."created_at" FROM "users" u WHERE v_type IN ('user', 'service_account') AND v_id ~* '^[0-9a-f-]{36}$' AND u."id" = v_id::uuid)
  END;
  IF v_existed IS NOT NULL AND v_effective < v_existed - interval '5 minutes' THEN
    RAISE EXCEPTION 'effectiveAt % is before % % existed (%)', v_entry->>'effectiveAt', v_type, v_id, v_existed USING ERRCODE = 'SR422';
  END IF;

  v_bump := CASE WHEN v_type = 'record' AND v_action IN ('confirm', 'override', 'amend', 'claim', 'takeover') THEN 1 ELSE 0 END;

  SELECT h."seq", h."hash" INTO v_head_seq, v_head_hash FROM "edit_log_head" h WHERE h."id" = 1 FOR UPDATE;
  SELECT s."version", s."decision_version" INTO v_version, v_decision FROM "edit_log_subjects" s
    WHERE s."subject_type" = v_type AND s."subject_id" = v_id FOR UPDATE;
  v_version := COALESCE(v_version, 0);
  v_decision := COALESCE(v_decision, 0);
  -- Checked before the versions: a replay would also look stale, and must be told apart.
  IF v_entry->>'requestId' IS NOT NULL AND EXISTS (
    SELECT 1 FROM "edit_log" e
    WHERE e."subject_type" = v_type AND e."subject_id" = v_id AND (e."c"::jsonb)->>'requestId' = v_entry->>'requestId'
  ) THEN
    RAISE EXCEPTION 'request % was already recorded for % %', v_entry->>'requestId', v_type, v_id
      USING ERRCODE = 'SR208';
  END IF;
  IF p_expected_version IS NOT NULL AND p_expected_version <> v_version THEN
    RAISE EXCEPTION 'stale version: % % is at version %, not %', v_type, v_id, v_version, p_expected_version
      USING ERRCODE = 'SR409';
  END IF;
  IF p_expected_decision_version IS NOT NULL AND p_expected_decision_version <> v_decision THEN
    RAISE EXCEPTION 'stale version: % % is at decision version %, not %', v_type, v_id, v_decision, p_expected_decision_version
      USING ERRCODE = 'SR409';
  END IF;

  v_now := clock_timestamp();
  IF v_effective > v_now + interval '5 minutes' THEN
    RAISE EXCEPTION 'effectiveAt % is more than 5 minutes after the time of recording', v_effective USING ERRCODE = 'SR422';
  END IF;
  v_text := to_char(v_now AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"');
  v_hash := encode(sha256(convert_to(p_c || E'\n' || (v_head_seq + 1)::text || E'\n' || v_text || E'\n' || v_head_hash, 'UTF8')), 'hex');

  INSERT INTO "edit_log" ("seq", "subject_type", "subject_id", "action", "c", "effective_at", "recorded_at", "prev_hash", "hash", "subject_version")
  VALUES (v_head_seq + 1, v_type, v_id, v_action, p_c, v_effective, v_now, v_head_hash, v_hash, v_version + 1);
  UPDATE "edit_log_head" SET "seq" = v_head_seq + 1, "hash" = v_hash WHERE "id" = 1;
  INSERT INTO "edit_log_subjects" ("subject_type", "subject_id", "version", "decision_version") VALUES (v_type, v_id, 1, v_bump)
    ON CONFLICT ("subject_type", "subject_id") DO UPDATE
    SET "version" = "edit_log_subjects"."version" + 1, "decision_version" = "edit_log_subjects"."decision_version" + v_bump;

  RETURN QUERY SELECT v_head_seq + 1, v_hash, v_text, v_version + 1, v_decision + v_bump;
END $$;
ALTER FUNCTION "edit_log_append"(text, integer, integer) SECURITY DEFINER SET search_path FROM CURRENT;
