import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export interface NetworkProps {
  /** @default 2 */
  readonly maxAzs?: number;
}

/**
 * A VPC with no route to the internet: two isolated subnet groups, `app` for the functions and the
 * interface endpoints, `data` for the database, and no NAT gateway.
 *
 * Why endpoints instead of NAT: the functions talk to nothing but Postgres and three AWS APIs
 * (Secrets Manager, KMS, SQS) through interface endpoints, and S3 (the audit anchor) through a
 * gateway endpoint, which costs nothing; runners reach hosts and clusters, the API never does. Three
 * interface endpoints in two AZs cost about what one NAT gateway does, but they leave a compromised
 * function no path to the internet, and no single-AZ NAT for every AZ to depend on. Logs need no
 * endpoint: the Lambda service ships them. A feature that must call out of AWS needs a NAT gateway
 * (public subnets, `natGateways: 1`) and should say why.
 */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;
  readonly appSubnets: ec2.SubnetSelection = { subnetGroupName: 'app' };
  readonly dataSubnets: ec2.SubnetSelection = { subnetGroupName: 'data' };
  private readonly endpoints: ec2.InterfaceVpcEndpoint[];

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: props.maxAzs ?? 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
    });
    const services = {
      SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      Kms: ec2.InterfaceVpcEndpointAwsService.KMS,
      Sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
    };
    this.endpoints = Object.entries(services).map(([name, service]) =>
      this.vpc.addInterfaceEndpoint(name, {
        service,
        subnets: this.appSubnets,
        privateDnsEnabled: true,
        // Closed by default: each function is let in by allowAwsApis, not the whole VPC CIDR.
        open: false,
      }),
    );
    this.vpc.addGatewayEndpoint('S3', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.appSubnets],
    });
  }

  /** Lets a function reach the AWS APIs through the endpoints (HTTPS only). */
  allowAwsApis(fn: ec2.IConnectable) {
    for (const endpoint of this.endpoints) endpoint.connections.allowDefaultPortFrom(fn);
  }
}
