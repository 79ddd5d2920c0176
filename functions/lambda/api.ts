import { lambdaHandler } from './handler';

export const handler = lambdaHandler(new URL('./migrations', import.meta.url).pathname);
