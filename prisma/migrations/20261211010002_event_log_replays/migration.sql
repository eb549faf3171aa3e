-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- A machine-log row equal to any earlier version of its key is a replay, never a new version
-- (sending A, B, A, B stores two versions). Ingest checks this under its per-log lock
-- (lib/data/events/ingest.ts); the database refuses a second copy of a content under a key
-- from any writer. Rows stored before this migration are left as they are.
CREATE FUNCTION "event_log_rows_refuse_replay"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "event_log_rows" WHERE "log" = NEW."log" AND "natural_key" = NEW."natural_key" AND "content_hash" = NEW."content_hash") THEN
    RAISE EXCEPTION 'event_log_rows already holds this content under %/% (a replay of an earlier version is not a new one)', NEW."log", NEW."natural_key"
      USING ERRCODE = 'unique_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "event_log_rows_no_replayed_version" BEFORE INSERT ON "event_log_rows" FOR EACH ROW EXECUTE FUNCTION "event_log_rows_refuse_replay"();
