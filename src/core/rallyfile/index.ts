// The rally file: one versioned JSON document holding a rally's definition and
// every fact. SEE: docs/rally-file.md.
export * from './schema.ts';
export { parseRallyFile, validateFact, type ParseResult, type FactResult } from './parse.ts';
export type { PathError } from './errors.ts';
export { serializeRallyFile } from './serialize.ts';
export { rallyFileJsonSchema, rallyFileJsonSchemaText, RALLY_FILE_SCHEMA_ID } from './json-schema.ts';
