import { afterAll } from 'vitest';
import { findLeaks } from './support/leak-guard';

afterAll(() => {
  const leaks = findLeaks();
  if (leaks.length) throw new Error(`secrets leaked into responses or logs: ${JSON.stringify(leaks)}`);
});
