import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { inflateSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildTeamsPackage, runTeamsPackageCli, TEAMS_MANIFEST_VERSION } from '../../scripts/teams-package.js';
import { loadConfig } from '../../src/config.js';

const APP_ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
const ENV = {
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: 'not-used-here',
  TEAMS_DEVELOPER_WEBSITE_URL: 'https://coin.example.com',
  TEAMS_PRIVACY_URL: 'https://coin.example.com/privacy',
  TEAMS_TERMS_OF_USE_URL: 'https://coin.example.com/terms',
  EXCHANGE_NAME_JA: 'サンプル取引所',
  EXCHANGE_NAME_EN: 'Sample Exchange',
};

/** Decodes an 8-bit RGBA PNG as written by the package (unfiltered rows). */
function decodePng(bytes: Uint8Array): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const buf = Buffer.from(bytes);
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8, 10)]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, pixel: (x, y) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 1 + x * 4 + 4)] };
}

describe('Teams app package', () => {
  it('builds manifest.json for the current schema from .env values, with the bot id and both languages', () => {
    const pkg = buildTeamsPackage(loadConfig(ENV));
    const files = unzipSync(pkg.zip);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'en-us.json', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!));
    expect(manifest).toMatchObject({
      $schema: `https://developer.microsoft.com/json-schemas/teams/v${TEAMS_MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
      manifestVersion: TEAMS_MANIFEST_VERSION,
      id: APP_ID,
      version: '1.0.0',
      developer: { name: 'Sample Exchange', websiteUrl: 'https://coin.example.com', privacyUrl: 'https://coin.example.com/privacy', termsOfUseUrl: 'https://coin.example.com/terms' },
      name: { short: 'サンプル取引所 2段階認証サポート' },
      icons: { color: 'color.png', outline: 'outline.png' },
      bots: [{ botId: APP_ID, scopes: ['personal', 'team'] }],
      localizationInfo: { defaultLanguageTag: 'ja-jp', additionalLanguages: [{ languageTag: 'en-us', file: 'en-us.json' }] },
    });
    expect([...manifest.name.short].length).toBeLessThanOrEqual(30);
    expect([...manifest.description.short].length).toBeLessThanOrEqual(80);
    expect(manifest.description.full).toContain('サンプル取引所');
    const commands = manifest.bots[0].commandLists[0].commands as { title: string }[];
    expect(commands.map((c) => c.title)).toEqual(['最初から', '担当者', 'お問い合わせ状況', 'ヘルプ', 'English']);
    const en = JSON.parse(strFromU8(files['en-us.json']!));
    expect(en['name.short']).toBe('Sample Exchange 2FA Support');
    expect(en['description.full']).toContain('Sample Exchange');
    expect(en['bots[0].commandLists[0].commands[4].title']).toBe('日本語');
  });

  it('uses TEAMS_APP_ID and the names and descriptions set in .env, and English first when that is the default', () => {
    const teamsAppId = '9b2d3c4e-5f60-4a1b-8c2d-3e4f5a6b7c8d';
    const manifest = JSON.parse(
      strFromU8(
        unzipSync(
          buildTeamsPackage(
            loadConfig({ ...ENV, DEFAULT_LOCALE: 'en', TEAMS_APP_ID: teamsAppId, TEAMS_APP_NAME_EN: 'Sample 2FA Help', TEAMS_APP_DESCRIPTION_EN: 'Fix 2FA log-in trouble.', TEAMS_APP_VERSION: '2.3.4' }),
          ).zip,
        )['manifest.json']!,
      ),
    );
    expect(manifest).toMatchObject({ id: teamsAppId, version: '2.3.4', name: { short: 'Sample 2FA Help' }, description: { short: 'Fix 2FA log-in trouble.' }, bots: [{ botId: APP_ID }] });
    expect(manifest.localizationInfo.defaultLanguageTag).toBe('en-us');
  });

  it('draws a 192x192 opaque colour icon and a 32x32 white-on-transparent outline icon', () => {
    const files = buildTeamsPackage(loadConfig(ENV)).files;
    const color = decodePng(files['color.png']!);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.pixel(0, 0)).toEqual([0x0b, 0x3d, 0x7a, 255]);
    expect(color.pixel(96, 140)).toEqual([255, 255, 255, 255]);
    const outline = decodePng(files['outline.png']!);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let opaque = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const [r, g, b, a] = outline.pixel(x, y);
        if (a! > 0) expect([r, g, b]).toEqual([255, 255, 255]);
        if (a === 255) opaque++;
      }
    }
    expect(outline.pixel(0, 0)[3]).toBe(0);
    expect(opaque).toBeGreaterThan(100);
  });

  it('refuses to build without a bot id, or with non-https developer pages, naming the keys', () => {
    expect(() => buildTeamsPackage(loadConfig({ ...ENV, MicrosoftAppId: '', MicrosoftAppPassword: '' }))).toThrow(/MicrosoftAppId/);
    expect(() => buildTeamsPackage(loadConfig({ ...ENV, TEAMS_PRIVACY_URL: 'http://coin.example.com/privacy' }))).toThrow(/TEAMS_PRIVACY_URL: must be an https/);
    expect(() => loadConfig({ ...ENV, TEAMS_APP_NAME_EN: 'x'.repeat(31) })).toThrow(/TEAMS_APP_NAME_EN/);
  });

  it('`npm run teams:package` writes the zip, and fails with a message and exit code 1 without a bot id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
    try {
      const run = (argv: string[], env: NodeJS.ProcessEnv) => {
        const io = { out: '', err: '' };
        const code = runTeamsPackageCli(argv, { out: (t) => (io.out += t), err: (t) => (io.err += t), env, cwd: dir });
        return { code, ...io };
      };
      const written = run(['--out', 'app.zip'], ENV);
      expect(written.code).toBe(0);
      expect(written.out).toContain(join(dir, 'app.zip'));
      expect(Object.keys(unzipSync(readFileSync(join(dir, 'app.zip'))))).toContain('manifest.json');

      const failure = run(['--out', 'bad.zip'], { ...ENV, MicrosoftAppId: '', MicrosoftAppPassword: '' });
      expect(failure.code).toBe(1);
      expect(failure.err).toContain('MicrosoftAppId');
      expect(existsSync(join(dir, 'bad.zip'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // The one real process: package.json's script, .env-free environment, argv and the exit code wired to runTeamsPackageCli.
  it('works as `npm run teams:package` (scripts/teams-package.ts) in a process of its own', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const command = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['teams:package'];
    expect(command).toBe('node --import tsx scripts/teams-package.ts');
    const dir = mkdtempSync(join(tmpdir(), 'teams-package-'));
    try {
      const out = join(dir, 'app.zip');
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/teams-package.ts', '--out', out], { cwd: root, env: { ...process.env, ...ENV } });
      expect(stdout).toContain(out);
      expect(Object.keys(unzipSync(readFileSync(out)))).toEqual(Object.keys(buildTeamsPackage(loadConfig(ENV)).files));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
