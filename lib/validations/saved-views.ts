import * as z from "zod";

export const saveViewInput = z.object({
  name: z.string().trim().min(1, { error: "is required" }).max(60, { error: "must be at most 60 characters" }),
  /** the view's URL search parameters, e.g. `flag=AGGREGATE_MEDIUM_HIGH&sort=confidence` */
  query: z.string().max(2000, { error: "must be at most 2000 characters" }),
  /** shown to the whole team beside their own views (leads only) */
  shared: z.boolean({ error: "must be true or false" }).default(false),
});

export const deleteViewInput = z.object({ id: z.uuid({ error: "must be a view id" }) });
