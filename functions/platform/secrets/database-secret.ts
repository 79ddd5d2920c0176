import { z } from 'zod';
import type { Config } from '../config';
import { getSecretString } from './secrets-manager';

/** The shape RDS writes into its generated secret. */
const DatabaseSecret = z.object({
  username: z.string(),
  password: z.string(),
  host: z.string(),
  port: z.coerce.number().int(),
  dbname: z.string().default('postgres'),
});
export type DatabaseSecret = z.infer<typeof DatabaseSecret>;

export async function readDatabaseSecret(arn: string, aws: Config['aws']): Promise<DatabaseSecret> {
  const parsed = DatabaseSecret.safeParse(JSON.parse(await getSecretString(arn, aws)));
  if (!parsed.success) throw new Error('database secret does not have the RDS shape');
  return parsed.data;
}
