/**
 * The support desk's command line (reads .env like `npm start`):
 *
 *   npm run desk -- agent add --name "Desk Supervisor" --email supervisor@example.com --role supervisor
 *   npm run desk -- agent list
 *   npm run desk -- --help
 *
 * Groups and commands live in src/desk/cli; this file only wires the process to them.
 * Exit codes: 0 done, 1 refused, 2 bad usage or configuration.
 */
import { existsSync } from 'node:fs';
import { ALL_MIGRATIONS, ALL_POSTGRES_MIGRATIONS } from '../src/app.js';
import { runDeskCli } from '../src/desk/cli/main.js';
import { openDatabase } from '../src/storage/database.js';
import { openMigratedPostgres } from '../src/storage/postgres/index.js';

if (existsSync('.env')) process.loadEnvFile('.env');

process.exitCode = await runDeskCli(process.argv.slice(2), {
  io: { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) },
  env: process.env,
  openDatabase: (file) => openDatabase(file, ALL_MIGRATIONS),
  openPostgres: (url) => openMigratedPostgres(url, ALL_POSTGRES_MIGRATIONS, 'tfa-support-bot-desk-cli'),
});
