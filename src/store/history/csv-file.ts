// Reading a history CSV file or text in chunks of lines, with bytes counted for
// a progress bar. Node streams at the edge; the parsing itself is in core.
import { createReadStream, statSync } from 'node:fs';
import { HistoryCsvReader } from '../../core/championship/history-records.ts';
import { csvChunks, importRecords, type ImportOptions } from './importer.ts';
import type { HistoryStore, ImportReport } from './types.ts';

/** Splits a text stream into arrays of lines (without the line ends). */
export async function* lineChunks(stream: AsyncIterable<string | Buffer>, onBytes?: (n: number) => void): AsyncGenerator<string[]> {
  let rest = '';
  for await (const part of stream) {
    const text = typeof part === 'string' ? part : part.toString('utf8');
    onBytes?.(Buffer.byteLength(text));
    const lines = (rest + text).split('\n');
    rest = lines.pop()!;
    if (lines.length) yield lines;
  }
  if (rest) yield [rest];
}

async function* oneChunk(text: string): AsyncGenerator<string[]> {
  yield text.split('\n');
}

export interface CsvImportOptions extends ImportOptions {
  /** Today's date `YYYY-MM-DD` (results dated later are rejected). */
  today: string;
}

/** Imports a CSV file into the history store. */
export async function importCsvFile(store: HistoryStore, path: string, options: CsvImportOptions): Promise<ImportReport> {
  const backend = store.backend();
  const reader = new HistoryCsvReader({ knownClasses: await backend.knownClasses(), today: options.today });
  const total = statSync(path).size;
  let bytes = 0;
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const onProgress = options.onProgress;
  return importRecords(backend, csvChunks(lineChunks(stream, (n) => { bytes += n; }), reader), {
    ...options,
    ...(onProgress ? { onProgress: (p) => onProgress({ ...p, bytesRead: bytes, bytesTotal: total }) } : {}),
  });
}

/** Imports CSV text (an API request body) into the history store. */
export async function importCsvText(store: HistoryStore, text: string, options: CsvImportOptions): Promise<ImportReport> {
  const backend = store.backend();
  const reader = new HistoryCsvReader({ knownClasses: await backend.knownClasses(), today: options.today });
  return importRecords(backend, csvChunks(oneChunk(text), reader), options);
}
