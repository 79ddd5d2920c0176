import { loadConfig } from '../config';
import { loadMigrations, migrateDown, migrateUp } from './migrate';
import { openDatabase } from './open';

/** `db:migrate` applies everything pending; `db:rollback -- --steps N | --all` reverts. */
async function main(argv: string[]) {
  const [direction, ...rest] = argv;
  const config = loadConfig();
  const db = await openDatabase(config);
  try {
    const migrations = await loadMigrations();
    if (direction === 'up') {
      const done = await migrateUp(db, migrations);
      process.stdout.write(done.length ? `applied: ${done.join(', ')}\n` : 'nothing to apply\n');
      return;
    }
    if (direction !== 'down') throw new Error('usage: cli.ts up | down [--steps N | --all]');
    let steps = 1;
    if (rest.includes('--all')) steps = Number.POSITIVE_INFINITY;
    const i = rest.indexOf('--steps');
    if (i >= 0) {
      steps = Number(rest[i + 1]);
      if (!Number.isInteger(steps) || steps < 1) throw new Error('--steps needs a positive integer');
    }
    const done = await migrateDown(db, migrations, steps);
    process.stdout.write(done.length ? `reverted: ${done.join(', ')}\n` : 'nothing to revert\n');
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
