-- Sessions signed in before this instant are no longer accepted: moved by sign-out, a
-- password change, deactivation and a role change (governance spec §2). NULL: none ended yet.
ALTER TABLE "users" ADD COLUMN "sessions_valid_after" TIMESTAMPTZ(6);
