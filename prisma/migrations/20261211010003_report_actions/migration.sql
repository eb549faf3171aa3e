-- Hand-written (invisible to the schema comparison; see docs/migrations.md).

-- Reports are subjects (minority-events spec §7): analysts confirm, override and note one
-- report of an event, as they do the event (lib/ledger/actions.ts).
INSERT INTO "ledger_actions" ("subject_type", "action", "permission", "system_rule") VALUES
  ('report', 'confirm', 'events:decide', NULL), ('report', 'override', 'events:decide', NULL), ('report', 'note', 'events:decide', NULL);
