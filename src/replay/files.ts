import { readdirSync, statSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { AppError } from '../errors.js';

/**
 * The .transcript files named by `paths`: a file is taken as is (whatever its extension), a
 * folder is searched recursively. Sorted and without duplicates, so runs are repeatable.
 */
export function findTranscriptFiles(paths: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new AppError('not_found', `no such file or folder: ${path}`);
    }
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path, { recursive: true, encoding: 'utf8' })) {
        if (entry.endsWith('.transcript')) found.add(join(path, entry));
      }
    } else {
      // "./a.transcript" and "a.transcript" are one file.
      found.add(normalize(path));
    }
  }
  return [...found].sort();
}
