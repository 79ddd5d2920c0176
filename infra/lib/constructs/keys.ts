import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { KeyPurpose } from '../../../functions/platform/keys/types';
import type { FunctionSettings } from '../settings';

export interface KeysProps {
  /** @default 'alias/k8sm' */
  readonly alias?: string;
}

/** What the key provider calls (functions/platform/keys/kms.ts): data keys, unwrap, re-wrap. */
export const ENVELOPE_ACTIONS = [
  'kms:GenerateDataKey',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

/**
 * Managing the key without using it. The account (and so IAM) may administer the key but gets no
 * cryptographic action, nor CreateGrant, which would hand one out: those are granted in this policy
 * alone, per function and per purpose, so no IAM policy elsewhere in the account can open an
 * envelope. PutKeyPolicy stays: KMS refuses a policy that locks out whoever writes it.
 */
const ADMIN_ACTIONS = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

/**
 * The customer-managed key for envelopes and the JWT signing secret.
 *
 * Key policy statements name Resource `*`: in a key policy that means this key, and KMS accepts
 * nothing else there.
 */
export class Keys extends Construct {
  readonly key: kms.Key;
  readonly jwtSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: KeysProps = {}) {
    super(scope, id);
    const policy = new iam.PolicyDocument({
      statements: [
        new iam.PolicyStatement({
          sid: 'AccountAdministersButCannotUse',
          principals: [new iam.AccountRootPrincipal()],
          actions: ADMIN_ACTIONS,
          resources: ['*'],
        }),
      ],
    });
    this.key = new kms.Key(this, 'Key', {
      description: 'k8s-manage envelope keys (credentials, release secrets, audit checkpoints, claims)',
      enableKeyRotation: true,
      policy,
      alias: props.alias ?? 'alias/k8sm',
      // Every wrapped data key in the database dies with this key: never delete it with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // 64 letters and digits: the config asks for at least 32 characters, used as UTF-8 bytes.
    this.jwtSecret = new secretsmanager.Secret(this, 'JwtKey', {
      description: 'k8s-manage HS256 key for access tokens',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
  }

  /**
   * Lets a function use the key for the named purposes only: every call must carry an encryption
   * context whose `purpose` is one of them (a call without one is refused too).
   *
   * Granted twice, with the same condition: in the key policy, which names the role through
   * `aws:PrincipalArn` under the account principal (KMS checks that a role named as principal
   * exists when the policy is written, and a role made moments earlier in the same deployment is
   * not always visible to it yet), and in the role's own policy, which that account principal
   * requires and where a reader of the role looks.
   */
  grantPurposes(role: iam.IRole, purposes: readonly KeyPurpose[]) {
    if (!purposes.length) throw new Error('grantPurposes needs at least one purpose');
    const purpose = { 'kms:EncryptionContext:purpose': [...purposes] };
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.AccountRootPrincipal()],
        actions: ENVELOPE_ACTIONS,
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:PrincipalArn': role.roleArn }, StringEquals: purpose },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ENVELOPE_ACTIONS,
        resources: [this.key.keyArn],
        conditions: { StringEquals: purpose },
      }),
    );
  }

  grantJwtRead(grantee: iam.IGrantable): FunctionSettings {
    this.jwtSecret.grantRead(grantee);
    return { K8SM_JWT_SECRET_ARN: this.jwtSecret.secretArn };
  }

  get settings(): FunctionSettings {
    return { K8SM_KMS_KEY_ID: this.key.keyArn };
  }
}
