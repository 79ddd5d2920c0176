import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { FunctionSettings } from '../settings';

export interface AuditAnchorProps {
  /** How long every stored checkpoint can be neither changed nor deleted. @default 7 years */
  readonly retention?: Duration;
}

/** What functions/platform/anchor/s3.ts calls, on the checkpoints' prefix only. */
export const ANCHOR_ACTIONS = ['s3:PutObject', 's3:GetObject'];
export const ANCHOR_PREFIX = 'audit-checkpoints/';

/**
 * The audit chain's anchor outside the database (SPEC §7.5): a bucket with Object Lock in
 * compliance mode, so a stored checkpoint, and every version of the pointer to the newest one, can
 * be changed or deleted by no one, the account's root included, until its retention ends. The
 * functions may put and get objects, nothing else: no listing, no deleting, no retention changes.
 */
export class AuditAnchor extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: AuditAnchorProps = {}) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
        props.retention ?? Duration.days(7 * 365),
      ),
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // Locked objects cannot be deleted anyway; the bucket must outlive the stack like the key.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** Lets a function write and read checkpoints; returns the setting that points it here. */
  grantAnchor(role: iam.IGrantable): FunctionSettings {
    role.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ANCHOR_ACTIONS,
        resources: [this.bucket.arnForObjects(`${ANCHOR_PREFIX}*`)],
      }),
    );
    return { K8SM_AUDIT_ANCHOR_BUCKET: this.bucket.bucketName };
  }
}
