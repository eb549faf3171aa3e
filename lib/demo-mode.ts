/**
 * Whether this start may create the demo accounts. Their passwords are published (README,
 * the sign-in page), one of them an administrator's, so a deployment must never get them:
 * with NODE_ENV=production or SENTINEL_STRICT=1 in the environment the user gave
 * `npm start`, no demo account is created, and asking for the demo there is an error.
 * `next start` sets NODE_ENV=production for itself, so this is decided by `npm start`
 * (scripts/start.ts) from its own environment and handed to the web server resolved.
 */
export type DemoSetting = "auto" | "on" | "off";

export type DemoDecision =
  | { ok: true; demo: boolean; locked: boolean; /** what locks it, e.g. "NODE_ENV=production"; "" when not locked */ reason: string }
  | { ok: false; error: string };

export const DEMO_LOCK_RULE =
  "demo accounts have published passwords (an administrator among them), so they are never created when NODE_ENV=production or SENTINEL_STRICT=1";

/** Pure: `nodeEnv` and `strict` as the user set them, `demo` as SENTINEL_DEMO parsed (default "auto"). */
export function decideDemo(input: { nodeEnv: string | undefined; strict: "0" | "1"; demo: DemoSetting }): DemoDecision {
  const reasons = [input.nodeEnv === "production" ? "NODE_ENV=production" : null, input.strict === "1" ? "SENTINEL_STRICT=1" : null].filter(
    (r): r is string => r !== null,
  );
  const locked = reasons.length > 0;
  if (locked && input.demo === "on") {
    return {
      ok: false,
      error: `SENTINEL_DEMO=on is not allowed with ${reasons.join(" and ")}: ${DEMO_LOCK_RULE}. Unset SENTINEL_DEMO (or set it to off), or start without ${reasons.join(" and ")} for a demo.`,
    };
  }
  return { ok: true, demo: !locked && input.demo !== "off", locked, reason: reasons.join(" and ") };
}

/** The message a locked start gives when the database still holds active demo accounts. */
export function demoAccountsRefusal(emails: readonly string[], reason: string): string {
  const shown = emails.slice(0, 8).join(", ") + (emails.length > 8 ? `, … (${emails.length} in all)` : "");
  return (
    `This database holds active demo accounts with published passwords: ${shown}. A start with ${reason} refuses them. ` +
    "Deactivate them and remove their passwords with `npm run admin -- demo:remove` " +
    "(then create a real administrator with `npm run admin -- user:create --email you@example.com --role admin --password-stdin` if you have none), and start again."
  );
}
