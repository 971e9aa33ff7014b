// Issue 8's cost of keeping the insights current: the daily file import on the loaded database, once with the triggers
// of 0027 disabled and once with them enabled plus the refresh of every bucket the import made stale. The target is
// that the upkeep adds under 10% to the import. The two files are the even and odd rows of one generated file, so
// both carry the same mix of new people and near-duplicates, with references of their own so neither replays an
// earlier import. The run with the triggers goes first, so any warming of caches favours the run without them.
import { sql } from 'kysely';
import type { Database } from '../src/platform/db/database.ts';
import { systemActor } from '../src/platform/auth/identity.ts';
import { runImport, startImport } from '../src/features/imports/service.ts';
import { refreshInsights } from '../src/features/insights-upkeep/service.ts';
import type { generateSyntheticData } from './synthetic/generator.ts';
import { buildReferralFile, type Result } from './scale.ts';

type Known = Parameters<typeof buildReferralFile>[1];
type Context = Parameters<typeof generateSyntheticData>[0];

const seconds = (started: number) => (performance.now() - started) / 1000;

/** Two files of `rows` rows each: alternate rows of one file, each with its own police and crime references. */
function twoFiles(rows: number, known: Known, context: Context): [string, string] {
  const today = new Date().toISOString().slice(0, 10);
  const [header = '', ...lines] = buildReferralFile(rows * 2, known, context, today).trimEnd().split('\n');
  // Crime references keep their shape (force/number/year): the number's leading 9 becomes the file's own digit.
  const file = (parity: number, prefix: string, digit: string) => {
    const picked = lines.filter((_, index) => index % 2 === parity).map((line) => {
      // The first two cells, the police reference ('FILE-n') and the crime reference, are never quoted.
      const first = line.indexOf(',');
      const second = line.indexOf(',', first + 1);
      const [force, number = '', year] = line.slice(first + 1, second).split('/');
      return `${prefix}-${line.slice(0, first)},${force}/${digit}${number.slice(1)}/${year}${line.slice(second)}`;
    });
    return `${[header, ...picked].join('\n')}\n`;
  };
  return [file(0, 'UPKEEP-ON', '7'), file(1, 'UPKEEP-OFF', '8')];
}

async function importFile(database: Database, context: Context, file: string): Promise<{ seconds: number; importFileId: string; imported: number }> {
  const actor = systemActor('bench');
  const started = performance.now();
  const { importFile: made } = await startImport(database.db, actor, { content: new TextEncoder().encode(file), organisationId: context.policeOrganisationId });
  const progress = await runImport(database.db, actor, made.id);
  return { seconds: seconds(started), importFileId: made.id, imported: progress.imported };
}

async function setUpkeepTriggers(database: Database, enabled: boolean): Promise<void> {
  const triggers = await sql<{ table_name: string; trigger_name: string }>`
    select c.relname as table_name, t.tgname as trigger_name
    from pg_trigger t join pg_class c on c.oid = t.tgrelid
    where not t.tgisinternal and t.tgname like 'insight\\_%'
  `.execute(database.db);
  if (triggers.rows.length === 0) throw new Error('The insights triggers of 0027 are missing');
  for (const { table_name, trigger_name } of triggers.rows) {
    await sql`alter table ${sql.table(table_name)} ${enabled ? sql`enable` : sql`disable`} trigger ${sql.id(trigger_name)}`.execute(database.db);
  }
}

export async function benchInsightUpkeep(database: Database, _databaseUrl: string, context: Context, known: Known, rows: number, results: Result[]): Promise<void> {
  const [withUpkeep, without] = twoFiles(rows, known, context);

  // Buckets the load or earlier benches left queued are not this import's cost: they are refreshed first, untimed.
  const backlogStarted = performance.now();
  const backlog = await refreshInsights(database.db);
  console.log(`  insights upkeep: refreshed ${backlog.buckets} buckets queued before the bench in ${seconds(backlogStarted).toFixed(1)} s (untimed)`);

  const on = await importFile(database, context, withUpkeep);
  const refreshStarted = performance.now();
  const refreshed = await refreshInsights(database.db);
  const refreshSeconds = seconds(refreshStarted);

  await setUpkeepTriggers(database, false);
  let off: Awaited<ReturnType<typeof importFile>>;
  try {
    off = await importFile(database, context, without);
  } finally {
    await setUpkeepTriggers(database, true);
  }
  // What the triggers would have marked: the days of every case of the people and crimes the import touched, so the
  // aggregates are right for whatever runs next.
  await sql`
    insert into insight_dirty (topic, area_id, day)
    select distinct 'case', c.area_id, (c.created_at at time zone 'Europe/London')::date
    from victim_case c
    where c.person_id in (select v.person_id from import_row r join victim_case v on v.id = r.case_id where r.import_file_id = ${off.importFileId})
      or c.crime_id in (select v.crime_id from import_row r join victim_case v on v.id = r.case_id where r.import_file_id = ${off.importFileId})
    on conflict do nothing
  `.execute(database.db);
  await refreshInsights(database.db);

  const added = (on.seconds + refreshSeconds - off.seconds) / off.seconds;
  console.log(
    `  insights upkeep: import of ${rows} rows without the triggers ${off.seconds.toFixed(1)} s (${off.imported} imported); ` +
      `with them ${on.seconds.toFixed(1)} s (${on.imported} imported) + refresh of ${refreshed.buckets} buckets ${refreshSeconds.toFixed(2)} s; ` +
      `added ${(added * 100).toFixed(1)}%`,
  );
  results.push({
    target: 'Insights upkeep adds under 10% to the import',
    measured: `${(added * 100).toFixed(1)}% (${(on.seconds + refreshSeconds).toFixed(1)} s against ${off.seconds.toFixed(1)} s for ${rows.toLocaleString('en-GB')} rows)`,
    limit: '10%',
    ratio: Math.max(0, added) / 0.1,
  });
}
