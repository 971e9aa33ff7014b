// `npm run bench:data -- --people N [--seed S] [--database-url URL] [--insights]`: loads synthetic people, crimes, cases
// and timeline events into the configured database (DATABASE_URL, or the embedded database in the data folder),
// migrating it first, and prints the counts and how long it took. --insights adds what the commissioner's insights read
// (equality monitoring, duties, support referrals, feedback and complaints; bench/synthetic/insights.ts).
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { readConfig } from '../src/config.ts';
import { openConfiguredDatabase } from '../src/platform/db/open-configured.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrations } from '../src/migrations/index.ts';
import { loadSyntheticData } from './synthetic/load.ts';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    'database-url': { type: 'string' },
    insights: { type: 'boolean', default: false },
  },
});
const people = Number(values.people);
const seed = Number(values.seed);
if (!Number.isInteger(people) || people < 1) throw new Error('--people must be a whole number of 1 or more');
if (!Number.isInteger(seed) || seed < 0 || seed > 65535) throw new Error('--seed must be a whole number from 0 to 65535');

const env = values['database-url'] ? { ...process.env, DATABASE_URL: values['database-url'] } : process.env;
const config = readConfig(env);
const { database, description, unlock } = await openConfiguredDatabase(config);
try {
  await migrateToLatest(database.db, migrations);
  console.log(`Generating ${people.toLocaleString('en-GB')} synthetic people (seed ${seed}) into ${description}.`);
  let lastReport = performance.now();
  const summary = await loadSyntheticData(database, {
    people,
    seed,
    url: config.databaseUrl,
    insights: values.insights,
    onProgress(done) {
      if (performance.now() - lastReport > 5000 || done === people) {
        lastReport = performance.now();
        console.log(`  ${done.toLocaleString('en-GB')} people`);
      }
    },
  });
  const analyseStarted = performance.now();
  await sql`analyze person, crime, victim_case, timeline_event`.execute(database.db);
  console.table({
    people: summary.people,
    'near-duplicate records': summary.nearDuplicates,
    'people with 2+ cases': summary.peopleWithTwoOrMoreCases,
    'flagged repeat victims (2+ in 12 months)': summary.repeatVictims,
    crimes: summary.crimes,
    cases: summary.cases,
    'timeline events': summary.events,
    ...(values.insights ? { obligations: summary.insights.obligations, 'support referrals': summary.insights.referrals, feedback: summary.insights.feedback, complaints: summary.insights.complaints } : {}),
  });
  console.log(
    `Loaded with ${summary.method === 'copy' ? 'COPY' : 'INSERT'} in ${summary.seconds.toFixed(1)} s ` +
      `(${Math.round(summary.people / summary.seconds).toLocaleString('en-GB')} people/s); ANALYZE ${((performance.now() - analyseStarted) / 1000).toFixed(1)} s.`,
  );
} finally {
  await database.close();
  unlock();
}
