import type { Config } from '../config';
import { createFileAnchor } from './file';
import { createS3Anchor } from './s3';
import type { AuditAnchor } from './types';

/** Chosen once from config: the Object Lock bucket when `K8SM_AUDIT_ANCHOR_BUCKET` is set, the file otherwise. */
export function createAuditAnchor(config: Pick<Config, 'auditAnchor' | 'aws'>): AuditAnchor {
  const a = config.auditAnchor;
  if (a.kind === 's3') return createS3Anchor({ bucket: a.bucket, aws: config.aws });
  return createFileAnchor(a.path);
}
