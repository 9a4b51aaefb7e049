/**
 * Chart.js for the desk's reports page (issue 18), served from node_modules as its own minified UMD
 * bundle: no copy in the repository, nothing fetched from another host. Its URL carries the
 * package's version, so browsers may keep it for a year; a new version is a new URL.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ChartLibrary {
  /** `/desk/assets/vendor/chart-<version>.umd.min.js` */
  readonly url: string;
  readonly body: Buffer;
  /** A strong ETag of the bytes, for a revalidation that costs a 304. */
  readonly etag: string;
}

/** The installed chart.js bundle, or null when the package is missing (the page then shows its tables only). */
export function loadChartLibrary(): ChartLibrary | null {
  try {
    // The package's exports name its ESM and CJS builds; the UMD bundle sits beside them in dist/.
    const dist = dirname(createRequire(import.meta.url).resolve('chart.js'));
    // Without its source map comment: the map is not served, and a browser's tools would ask for it.
    const body = Buffer.from(readFileSync(join(dist, 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n'));
    const { version } = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as { version: string };
    const safeVersion = /^[0-9A-Za-z.-]{1,32}$/.test(version) ? version : 'x';
    return { url: `/desk/assets/vendor/chart-${safeVersion}.umd.min.js`, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
  } catch {
    return null;
  }
}
