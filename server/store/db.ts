// Opens the SQLite store and applies the forward-only migrations in server/store/migrations.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { log } from '../logger';

export type Db = Database.Database;

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement kept per database and SQL text: preparing the list query costs more than running
 * it, and the hot reads (list page, message page, one chat) are the same few SQL texts again and again.
 */
export function prepareCached(db: Db, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let stmt = byText.get(sql);
  if (!stmt) byText.set(sql, (stmt = db.prepare(sql)));
  return stmt;
}

const FOREIGN_KEYS_OFF = '-- foreign_keys: off';

export interface Migration { version: number; name: string; sql: string }

function migrationsDir(): string {
  // Bundled: dist/migrations beside dist/server.js. From source (tests): this folder.
  const candidates = [path.join(__dirname, 'migrations'), path.join(__dirname, '..', 'server', 'store', 'migrations')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new Error(`migrations folder not found (looked in ${candidates.join(', ')})`);
  return found;
}

export function loadMigrations(dir = migrationsDir()): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 4)), name: f.slice(5, -4), sql: readFileSync(path.join(dir, f), 'utf8') }))
    .map((m, i) => {
      if (m.version !== i + 1) throw new Error(`migration numbering has a gap at ${m.version}_${m.name}`);
      return m;
    });
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Applies every migration newer than the DB, each in its own IMMEDIATE transaction, so two processes starting at once don't both apply one. */
export function migrate(db: Db, migrations = loadMigrations(), upTo = migrations.length): number {
  const known = migrations.length;
  for (const m of migrations.slice(0, upTo)) {
    // A migration that rebuilds a referenced table runs with foreign keys off (SQLite's documented procedure:
    // the pragma has no effect inside a transaction) and must leave no broken reference behind.
    const rebuildsTables = m.sql.startsWith(FOREIGN_KEYS_OFF);
    const enforced = db.pragma('foreign_keys', { simple: true }) === 1;
    if (rebuildsTables && enforced) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        const current = schemaVersion(db);
        if (current > known) throw new Error(`database schema version ${current} is newer than this server knows (${known}); update the extension`);
        if (current >= m.version) return;
        db.exec(m.sql);
        if (rebuildsTables && (db.pragma('foreign_key_check') as unknown[]).length > 0) throw new Error(`migration ${m.version}_${m.name} left broken references`);
        db.pragma(`user_version = ${m.version}`);
        log.info(`applied migration ${m.version}_${m.name}`);
      }).immediate();
    } finally {
      if (rebuildsTables && enforced) db.pragma('foreign_keys = ON');
    }
  }
  return schemaVersion(db);
}

export function openDb(file: string, opts: { migrate?: boolean } = {}): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  // Deleted content is overwritten, not left in free space: values that must leave the file do leave it.
  db.pragma('secure_delete = ON');
  if (opts.migrate !== false) migrate(db);
  return db;
}
