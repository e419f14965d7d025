// Writing a rally file: keys in the schema's declared order, 2-space JSON, a
// newline at the end — so file → read → write gives back the same bytes and a
// diff of two versions shows only what changed.
import { RallyFileSchema, type RallyFile } from './schema.ts';

/**
 * The canonical text of a rally file. Throws when `file` is not a valid rally
 * file: callers pass what `parseRallyFile` returned or what they built in code,
 * so an invalid value here is a programmer bug.
 */
export function serializeRallyFile(file: RallyFile): string {
  // NOTE: zod rebuilds each object in the order its schema declares the keys
  // (and drops keys left undefined), which is exactly the canonical order.
  const canonical = RallyFileSchema.parse(file);
  return JSON.stringify(canonical, null, 2) + '\n';
}
