// `npm run schema`: writes schema/rally-file.schema.json from the zod schema in
// src/core/rallyfile/schema.ts. Reads nothing; writes that one file.
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rallyFileJsonSchemaText } from '../src/core/rallyfile/json-schema.ts';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/rally-file.schema.json', import.meta.url));

mkdirSync(fileURLToPath(new URL('../schema/', import.meta.url)), { recursive: true });
writeFileSync(SCHEMA_FILE, rallyFileJsonSchemaText());
console.log(`wrote schema/rally-file.schema.json`);
