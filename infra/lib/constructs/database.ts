import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { FunctionSettings } from '../settings';

export interface DatabaseProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  /** @default 0.5 */
  readonly minCapacity?: number;
  /** @default 4 */
  readonly maxCapacity?: number;
  /** Serverless v2 readers; one gives the writer a failover target in another AZ. @default 0 */
  readonly readers?: number;
}

type Grantee = iam.IGrantable & ec2.IConnectable;

const POSTGRES_PORT = 5432;

/**
 * Aurora Serverless v2 (PostgreSQL 16) in the data subnets, its credentials in a generated
 * Secrets Manager secret, and an RDS Proxy in front of it for the functions.
 *
 * Why a proxy: every Lambda instance holds its own connections (two, see db/open.ts), so a burst
 * of cold starts would otherwise open hundreds of connections against a server sized in ACUs.
 * Migrations go around it, straight to the writer: long DDL under an advisory lock pins a proxied
 * connection anyway.
 *
 * Why 0.5 ACU minimum and not 0 (auto-pause): the sweeps connect every minute, so the cluster
 * would never stay idle the five minutes a pause needs; and resuming costs the next request seconds.
 */
export class Database extends Construct {
  readonly cluster: rds.DatabaseCluster;
  readonly proxy: rds.DatabaseProxy;
  /** The generated credentials, attached to the cluster (so they carry its host and port). */
  readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    // The secret names the database: RDS's attachment adds host and port but not dbname, and
    // the functions would otherwise fall back to `postgres`.
    const credentials = new rds.DatabaseSecret(this, 'Secret', { username: 'k8sm', dbname: 'k8sm' });
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.VER_16_8,
      }),
      credentials: rds.Credentials.fromSecret(credentials),
      defaultDatabaseName: 'k8sm',
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      readers: Array.from({ length: props.readers ?? 0 }, (_, i) =>
        rds.ClusterInstance.serverlessV2(`Reader${i + 1}`, { scaleWithWriter: true }),
      ),
      serverlessV2MinCapacity: props.minCapacity ?? 0.5,
      serverlessV2MaxCapacity: props.maxCapacity ?? 4,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      port: POSTGRES_PORT,
      storageEncrypted: true,
      deletionProtection: true,
      // The audit chain lives here: deleting the stack keeps a final snapshot.
      removalPolicy: RemovalPolicy.SNAPSHOT,
      backup: { retention: Duration.days(7) },
    });
    this.secret = this.cluster.secret!;
    this.proxy = this.cluster.addProxy('Proxy', {
      secrets: [this.secret],
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      // db/open.ts connects with ssl: 'require'; the proxy refuses anything else.
      requireTLS: true,
    });
    this.cluster.connections.allowDefaultPortFrom(this.proxy, 'RDS Proxy');
  }

  /** Reads the credentials and connects through the proxy (the API and the sweeps). */
  grantConnectViaProxy(fn: Grantee): FunctionSettings {
    this.secret.grantRead(fn);
    this.proxy.connections.allowFrom(fn, ec2.Port.tcp(POSTGRES_PORT));
    return {
      K8SM_DATABASE_SECRET_ARN: this.secret.secretArn,
      K8SM_DATABASE_HOST: this.proxy.endpoint,
    };
  }

  /** Reads the credentials and connects to the writer itself (migrations). */
  grantConnectDirect(fn: Grantee): FunctionSettings {
    this.secret.grantRead(fn);
    this.cluster.connections.allowDefaultPortFrom(fn);
    return { K8SM_DATABASE_SECRET_ARN: this.secret.secretArn };
  }
}
