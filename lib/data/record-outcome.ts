/**
 * A decided record's outcome is its latest confirm, override or amend entry. The result
 * row's review_* columns hold the first decision (written once, guarded by a trigger); a
 * lead's amendment is a later edit-log entry. This join finds that amendment for a result
 * aliased `r`, as `am` (label, at, user_id); none while the result is undecided.
 */
export const LATEST_AMENDMENT_JOIN = `LEFT JOIN LATERAL (
    SELECT (l.c::jsonb->'after'->>'label')::boolean AS label, l.recorded_at AS at, (l.c::jsonb->'actor'->>'id')::uuid AS user_id
    FROM edit_log l
    WHERE r.review_seq IS NOT NULL AND l.subject_type = 'record' AND l.subject_id = r.record_id AND l.action = 'amend' AND l.seq > r.review_seq
    ORDER BY l.seq DESC LIMIT 1
  ) am ON true`;
