import type { Activity } from 'botbuilder';
import { readFile, writeFile } from 'node:fs/promises';
import { AppError } from '../errors.js';

/**
 * The Bot Framework transcript format (`.transcript`, as the Emulator saves and opens it): UTF-8
 * JSON, a flat array of activities. Readers also accept an object with a `transcript` array,
 * which some tools write, and a leading byte order mark (Windows editors add one).
 */
export type TranscriptActivity = Partial<Activity> & { type: string };

/** Parses the text of a .transcript file; `source` names it in error messages. */
export function parseTranscript(text: string, source = 'transcript'): TranscriptActivity[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw new AppError('invalid_input', `${source}: not JSON (${(err as Error).message})`);
  }
  const list = Array.isArray(json)
    ? json
    : typeof json === 'object' && json !== null && Array.isArray((json as { transcript?: unknown }).transcript)
      ? ((json as { transcript: unknown[] }).transcript)
      : undefined;
  if (!list) throw new AppError('invalid_input', `${source}: expected an array of activities or an object with a "transcript" array`);
  list.forEach((a, i) => {
    if (typeof a !== 'object' || a === null || Array.isArray(a)) {
      throw new AppError('invalid_input', `${source}: item ${i} is not an activity object`);
    }
    if (typeof (a as { type?: unknown }).type !== 'string') {
      throw new AppError('invalid_input', `${source}: activity ${i} has no "type"`);
    }
  });
  return list as TranscriptActivity[];
}

/** The file text for a transcript: a flat array, pretty-printed like the Emulator's own files. */
export function serializeTranscript(activities: readonly Partial<Activity>[]): string {
  return `${JSON.stringify(activities, null, 2)}\n`;
}

export async function readTranscriptFile(path: string): Promise<TranscriptActivity[]> {
  return parseTranscript(await readFile(path, 'utf8'), path);
}

export async function writeTranscriptFile(path: string, activities: readonly Partial<Activity>[]): Promise<void> {
  await writeFile(path, serializeTranscript(activities), 'utf8');
}
