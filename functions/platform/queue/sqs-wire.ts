/** What the SQS queue puts on the wire and takes from it: names and bodies, no SDK. */
import { z } from 'zod';

const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
export const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** Strict: a message of any other shape was not written by us, and is dropped rather than trusted. */
const Body = z.strictObject({ job_id: z.string().regex(JOB_ID) });

/** The SQS queue of a pool; throws where SQS would refuse the name (over 80 characters, other characters). */
export function sqsQueueName(prefix: string, poolId: string): string {
  const name = `${prefix}${poolId}`;
  if (!QUEUE_NAME.test(name))
    throw new Error(
      `queue name for pool ${JSON.stringify(poolId)} is not a valid SQS name: 1-80 of A-Z a-z 0-9 - _`,
    );
  return name;
}

export const jobMessage = (jobId: string) => JSON.stringify({ job_id: jobId });

/** The job a message names, or null when its body is anything but `{"job_id": "..."}`. */
export function parseJobMessage(body: string | undefined): string | null {
  if (body === undefined) return null;
  try {
    const parsed = Body.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.job_id : null;
  } catch {
    return null;
  }
}

/** An SQS error with every occurrence of the receipt handle cut out of its message (it ends up in logs). */
export function withoutReceipt(e: unknown, receipt: string, action: string): Error {
  const err = e instanceof Error ? e : new Error(String(e));
  const out = new Error(`SQS ${action} failed: ${err.message.split(receipt).join('<receipt>')}`);
  // Callers may branch on the SQS error name (ReceiptHandleIsInvalid, …), so it survives.
  out.name = err.name;
  return out;
}
