import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;

/** Parses FormData with a zod schema: `{ data }` or `{ errors }` keyed by field name. */
export function parseForm<T extends z.ZodTypeAny>(
  schema: T,
  formData: FormData,
): { data: z.infer<T>; errors?: undefined } | { data?: undefined; errors: FieldErrors } {
  const raw: Record<string, FormDataEntryValue> = {};
  for (const [k, v] of formData) raw[k] = v;
  const result = schema.safeParse(raw);
  if (result.success) return { data: result.data };
  return { errors: result.error.flatten().fieldErrors as FieldErrors };
}
