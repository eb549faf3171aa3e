/**
 * The one result shape of the core's parsers, the same as server actions return:
 * data, or an error naming the field and the rule (fieldErrors keyed by field path).
 */
export type MrsResult<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly error: string; readonly fieldErrors?: Record<string, string[]> };
