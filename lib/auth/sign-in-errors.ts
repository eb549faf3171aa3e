/** Error codes the sign-in page explains (next-auth's codes and ours). */
export const SIGN_IN_ERRORS = {
  CredentialsSignin: "Email or password is not right.",
  RateLimited: "Too many failed attempts. Wait a few minutes, then try again.",
  AccessDenied: "This account has no access to Sentinel Review. Ask an administrator.",
  SessionRequired: "Your session ended. Sign in again.",
  PasswordChanged: "Your password was changed and every session of yours ended. Sign in with the new password.",
  Default: "Sign-in failed. Try again.",
} as const;

export function signInErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  return SIGN_IN_ERRORS[code as keyof typeof SIGN_IN_ERRORS] ?? SIGN_IN_ERRORS.Default;
}
