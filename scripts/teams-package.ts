/**
 * `npm run teams:package [-- --out path.zip]`: builds the Microsoft Teams app package (manifest.json,
 * the other language's localization file, color.png 192x192 and outline.png 32x32) from .env and
 * config, ready to upload in Teams (Apps → Manage your apps → Upload an app).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { z } from 'zod';
import { loadConfig, type Config } from '../src/config.js';
import { isAppError } from '../src/errors.js';
import { createLocalizer, type Language } from '../src/i18n/i18n.js';
import { LANGUAGES } from '../src/i18n/language.js';

/** The current generally available manifest schema (learn.microsoft.com, "app manifest schema reference"). */
export const TEAMS_MANIFEST_VERSION = '1.30';
const SCHEMA = `https://developer.microsoft.com/json-schemas/teams/v${TEAMS_MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const LOCALIZATION_SCHEMA = `https://developer.microsoft.com/json-schemas/teams/v${TEAMS_MANIFEST_VERSION}/MicrosoftTeams.Localization.schema.json`;
const TEXTS_FILE = fileURLToPath(new URL('../teams/app-texts.json', import.meta.url));
const LOCALES_DIR = fileURLToPath(new URL('../locales', import.meta.url));
const LANGUAGE_TAGS: Record<Language, string> = { ja: 'ja-jp', en: 'en-us' };
/** Commands in the bot's menu; each title is a word the bot understands in either language. */
const COMMANDS = ['restart', 'agent', 'status', 'help', 'language'] as const;

const AppTexts = z.record(
  z.enum(LANGUAGES),
  z.object({ fullName: z.string(), fullDescription: z.string(), commands: z.record(z.enum(COMMANDS), z.string().max(128)) }),
);

const https = z.string().url().refine((u) => u.startsWith('https://'), 'must be an https:// URL');
const guid = z.string().uuid('required: the GUID of the Azure app registration');
/** The limits Teams enforces on upload, checked here so a bad .env fails now with the key's name. */
const PackageInput = z.object({
  appId: guid.describe('TEAMS_APP_ID or MicrosoftAppId'),
  botId: guid.describe('MicrosoftAppId'),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  developerName: z.string().min(1).max(32),
  websiteUrl: https.describe('TEAMS_DEVELOPER_WEBSITE_URL'),
  privacyUrl: https.describe('TEAMS_PRIVACY_URL'),
  termsOfUseUrl: https.describe('TEAMS_TERMS_OF_USE_URL'),
});

export interface TeamsPackage {
  readonly files: Record<string, Uint8Array>;
  readonly zip: Uint8Array;
}

/** Builds the package in memory. @throws Error naming each .env key that makes it invalid. */
export function buildTeamsPackage(config: Config): TeamsPackage {
  const input = PackageInput.safeParse({ ...config.teams, botId: config.bot.appId });
  if (!input.success) {
    const keys = input.error.issues.map((i) => `${PackageInput.shape[i.path[0] as keyof typeof PackageInput.shape]?.description ?? i.path.join('.')}: ${i.message}`);
    throw new Error(`Cannot build the Teams package:\n  ${keys.join('\n  ')}`);
  }
  const texts = AppTexts.parse(JSON.parse(readFileSync(TEXTS_FILE, 'utf8')));
  const localizer = createLocalizer(LOCALES_DIR, config.brand);
  const main = config.defaultLocale;
  const other: Language = main === 'ja' ? 'en' : 'ja';
  const strings = (lang: Language) => {
    const t = localizer.forLanguage(lang);
    const fill = (s: string) => s.replaceAll('{{exchangeName}}', config.brand[lang].exchangeName);
    const commandTitle = (c: (typeof COMMANDS)[number]) =>
      c === 'language' ? t('common:buttons.otherLanguage') : (t(`common:commands.${c}.synonyms`).split('|')[0] ?? c);
    return {
      name: { short: config.teams.name[lang], full: limit(fill(texts[lang]!.fullName), 100) },
      description: { short: config.teams.description[lang], full: limit(fill(texts[lang]!.fullDescription), 4000) },
      commands: COMMANDS.map((c) => ({ title: limit(commandTitle(c), 32), description: texts[lang]!.commands[c] })),
    };
  };
  const own = strings(main);
  const manifest = {
    $schema: SCHEMA,
    manifestVersion: TEAMS_MANIFEST_VERSION,
    version: input.data.version,
    id: input.data.appId,
    developer: {
      name: input.data.developerName,
      websiteUrl: input.data.websiteUrl,
      privacyUrl: input.data.privacyUrl,
      termsOfUseUrl: input.data.termsOfUseUrl,
    },
    name: own.name,
    description: own.description,
    icons: { color: 'color.png', outline: 'outline.png' },
    accentColor: config.teams.accentColor,
    // Customers chat in personal scope only. The team scope exists for the agents' channel, where the
    // bot posts new-ticket alerts; there it declines any conversation (identity details typed in a
    // channel would be read by colleagues), see SupportBot.
    bots: [
      {
        botId: input.data.botId,
        scopes: ['personal', 'team'],
        supportsFiles: false,
        isNotificationOnly: false,
        commandLists: [{ scopes: ['personal'], commands: own.commands }],
      },
    ],
    localizationInfo: {
      defaultLanguageTag: LANGUAGE_TAGS[main],
      additionalLanguages: [{ languageTag: LANGUAGE_TAGS[other], file: `${LANGUAGE_TAGS[other]}.json` }],
    },
  };
  const translated = strings(other);
  const localization: Record<string, string> = {
    $schema: LOCALIZATION_SCHEMA,
    'name.short': translated.name.short,
    'name.full': translated.name.full,
    'description.short': translated.description.short,
    'description.full': translated.description.full,
  };
  translated.commands.forEach((c, i) => {
    localization[`bots[0].commandLists[0].commands[${i}].title`] = c.title;
    localization[`bots[0].commandLists[0].commands[${i}].description`] = c.description;
  });
  const accent = hexToRgb(config.teams.accentColor);
  const files: Record<string, Uint8Array> = {
    'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`),
    [`${LANGUAGE_TAGS[other]}.json`]: strToU8(`${JSON.stringify(localization, null, 2)}\n`),
    'color.png': lockIcon(192, { background: accent, lock: [255, 255, 255] }),
    'outline.png': lockIcon(32, { lock: [255, 255, 255] }),
  };
  return { files, zip: zipSync(files, { level: 9, mtime: new Date('2025-01-01T00:00:00Z') }) };
}

function limit(text: string, max: number): string {
  return [...text].length <= max ? text : [...text].slice(0, max - 1).join('') + '…';
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Whether the point (x, y), in units of the icon's width, is inside the padlock. */
function inPadlock(x: number, y: number): boolean {
  const inRoundedRect = (x0: number, y0: number, x1: number, y1: number, r: number) => {
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= x0 && x <= x1 && y >= y0 && y <= y1;
  };
  const keyhole = (x - 0.5) ** 2 + (y - 0.6) ** 2 <= 0.05 ** 2 || (Math.abs(x - 0.5) <= 0.022 && y >= 0.6 && y <= 0.71);
  const body = inRoundedRect(0.26, 0.46, 0.74, 0.82, 0.06) && !keyhole;
  const d = Math.hypot(x - 0.5, y - 0.46);
  const shackle = (y <= 0.46 && d <= 0.18 && d >= 0.11) || (y > 0.46 && y <= 0.5 && (Math.abs(x - 0.355) <= 0.035 || Math.abs(x - 0.645) <= 0.035));
  return body || shackle;
}

/**
 * A padlock icon as an RGBA PNG, 4x4 supersampled. With a background: an opaque square (Teams'
 * colour icon); without: the lock alone on transparency (Teams' outline icon must be white on transparent).
 */
export function lockIcon(size: number, colours: { background?: [number, number, number]; lock: [number, number, number] }): Uint8Array {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) if (inPadlock((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)) hits++;
      }
      const coverage = hits / (samples * samples);
      const o = (py * size + px) * 4;
      const bg = colours.background;
      for (let c = 0; c < 3; c++) rgba[o + c] = bg ? Math.round(bg[c]! * (1 - coverage) + colours.lock[c]! * coverage) : colours.lock[c]!;
      rgba[o + 3] = bg ? 255 : Math.round(coverage * 255);
    }
  }
  return encodePng(size, size, rgba);
}

/** A minimal PNG encoder (8-bit RGBA, no filtering) on node:zlib. */
export function encodePng(width: number, height: number, rgba: Buffer): Uint8Array {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Where the command writes, and what it reads: nothing global, so tests run it in process. */
export interface TeamsPackageCliContext {
  out(text: string): void;
  err(text: string): void;
  /** The environment (`.env` already loaded by the script) for loadConfig. */
  readonly env: NodeJS.ProcessEnv;
  /** What a relative --out is relative to. */
  readonly cwd: string;
}

/** Runs `argv` (what follows the script's name): writes the zip, returns the exit code (1 when the package cannot be built). */
export function runTeamsPackageCli(argv: readonly string[], context: TeamsPackageCliContext): number {
  const outIndex = argv.indexOf('--out');
  const out = resolve(context.cwd, outIndex >= 0 ? (argv[outIndex + 1] ?? '') : 'dist/teams-app.zip');
  try {
    const pkg = buildTeamsPackage(loadConfig(context.env));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, pkg.zip);
    context.out(`Teams app package written to ${out} (${Object.keys(pkg.files).join(', ')})\n`);
    return 0;
  } catch (err) {
    context.err(`${isAppError(err) || err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  process.exitCode = runTeamsPackageCli(process.argv.slice(2), {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
  });
}
