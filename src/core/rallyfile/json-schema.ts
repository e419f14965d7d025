// The published JSON Schema of the rally file, generated from the zod schema so
// the two cannot drift. scripts/build-schema.ts writes it to
// schema/rally-file.schema.json (`npm run schema`); a test fails when the
// published file is out of date.
import { z } from 'zod';
import { RALLY_FILE_VERSION, RallyFileSchema } from './schema.ts';

export const RALLY_FILE_SCHEMA_ID = `urn:rallyhq:rally-file:v${RALLY_FILE_VERSION}`;

/** The JSON Schema document (draft 2020-12) as an object. */
export function rallyFileJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(RallyFileSchema, { target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: RALLY_FILE_SCHEMA_ID,
    title: `rallyhq rally file, version ${RALLY_FILE_VERSION}`,
    description: 'A rally\'s definition (itinerary, stages, classes, entries, rules choice) and every fact its officials recorded. Distances in metres, durations in ms or as m:ss.t text, times of day as rally-local date-time text. SEE: docs/rally-file.md.',
    ...rest,
  };
}

/** The text of schema/rally-file.schema.json: 2-space JSON with a newline at the end. */
export function rallyFileJsonSchemaText(): string {
  return JSON.stringify(rallyFileJsonSchema(), null, 2) + '\n';
}
