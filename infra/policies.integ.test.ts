import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY_PURPOSES } from '../functions/platform/keys/types';
import { cleanUp, functionWithHandler, synth } from './testing/synth';

type Statement = {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};
type Found = { resource: string; type: string; statement: Statement };

/**
 * Every policy statement in the template: role policies, inline role policies, and the resource
 * policies of keys, queues, buckets and topics. Two AWS-managed policies attach to each function
 * role and are not in the template: AWSLambdaBasicExecutionRole (its own log streams) and
 * AWSLambdaVPCAccessExecutionRole (ec2:CreateNetworkInterface and friends on `*`, which EC2
 * requires: the network interfaces do not exist before Lambda makes them).
 */
function statements(template: Template): Found[] {
  const out: Found[] = [];
  const add = (resource: string, type: string, doc: { Statement: Statement[] } | undefined) => {
    for (const statement of doc?.Statement ?? []) out.push({ resource, type, statement });
  };
  for (const [id, r] of Object.entries(template.toJSON().Resources as Record<string, any>)) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::IAM::Role')
      for (const inline of p.Policies ?? []) add(id, r.Type, inline.PolicyDocument);
    if (r.Type === 'AWS::KMS::Key') add(id, r.Type, p.KeyPolicy);
    if (p.PolicyDocument) add(id, r.Type, p.PolicyDocument);
  }
  return out;
}

const list = <T>(v: T | T[]) => (Array.isArray(v) ? v : [v]);
const DATA_SERVICES = /^(kms|sqs|secretsmanager|rds|rds-db|s3):/;

let template: Template;
let allows: Found[];
beforeAll(() => {
  template = synth().template;
  allows = statements(template).filter((s) => s.statement.Effect === 'Allow');
});
afterAll(cleanUp);

/** The role a function runs as, and every action its role policies allow, sorted. */
function roleOf(handler: string) {
  const role = functionWithHandler(template, handler)[1].Properties!.Role['Fn::GetAtt'][0] as string;
  const actions = allows
    .filter((s) => s.type === 'AWS::IAM::Policy')
    .filter((s) => JSON.stringify(template.toJSON().Resources[s.resource].Properties.Roles).includes(role))
    .flatMap((s) => list(s.statement.Action));
  return { role, actions: [...new Set(actions)].sort() };
}

describe('IAM', () => {
  it('allows no wildcard action anywhere', () => {
    expect(allows.length).toBeGreaterThan(0);
    for (const { statement } of allows)
      for (const action of list(statement.Action)) expect(action).not.toMatch(/^(\*|[a-z0-9-]+:\*)$/);
  });

  it('names a resource in every statement, except in the key policy where `*` means that key', () => {
    // CDK's SPA upload grants CloudFront invalidations on `*`; it touches no data and only names the
    // distribution it was given in its calls.
    const invalidation = (s: Found) =>
      list(s.statement.Action).every((a) => /^cloudfront:(Create|Get)Invalidation$/.test(a));
    const starred = allows.filter((s) => list(s.statement.Resource).includes('*') && !invalidation(s));
    expect(starred.map((s) => s.type)).toEqual(starred.map(() => 'AWS::KMS::Key'));
    for (const s of allows.filter((s) => s.type !== 'AWS::KMS::Key'))
      for (const action of list(s.statement.Action))
        if (DATA_SERVICES.test(action)) expect(list(s.statement.Resource)).not.toContain('*');
  });

  it('gives each function exactly what its code calls', () => {
    const secrets = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
    const envelope = ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:ReEncryptTo'];
    const publish = ['sqs:CreateQueue', 'sqs:GetQueueUrl', 'sqs:SendMessage', 'sqs:SetQueueAttributes'];
    const claim = ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'];
    // The audit anchor: checkpoints written by the sweeps, read back by verify.
    const anchor = ['s3:GetObject', 's3:PutObject'];
    expect(roleOf('api.handler').actions).toEqual(
      [...envelope, ...secrets, ...publish, ...claim, ...anchor].sort(),
    );
    // The claim function is the API's own code behind one route, so it holds the API's grants.
    expect(roleOf('claim.handler').actions).toEqual(roleOf('api.handler').actions);
    expect(roleOf('sweep.handler').actions).toEqual([...envelope, ...secrets, ...publish, ...anchor].sort());
    expect(roleOf('migrate.handler').actions).toEqual(secrets);
  });

  it('scopes queue access to the pool prefix, which the dead-letter queue does not match', () => {
    for (const s of allows.filter((s) => list(s.statement.Action).some((a) => a.startsWith('sqs:'))))
      expect(JSON.stringify(s.statement.Resource)).toMatch(/:k8sm-pool-\*"\]\]\}$/);
  });
});

describe('KMS key policy', () => {
  const keyStatements = () => allows.filter((s) => s.type === 'AWS::KMS::Key').map((s) => s.statement);
  const crypto = (s: Statement) =>
    list(s.Action).some((a) => /^kms:(Decrypt|Encrypt|GenerateDataKey|ReEncrypt)/.test(a));

  it('lets the account administer the key but not use it', () => {
    const admin = keyStatements().filter((s) => !s.Condition);
    expect(admin).toHaveLength(1);
    expect(crypto(admin[0]!)).toBe(false);
    // A grant would hand out what the policy withholds.
    expect(list(admin[0]!.Action).filter((a) => a.startsWith('kms:Create'))).toEqual(['kms:CreateAlias']);
  });

  it('grants each purpose to exactly the functions that use it, and only with that purpose in the context', () => {
    const grants = keyStatements().filter(crypto);
    const byRole = Object.fromEntries(
      grants.map((s) => [
        (s.Condition?.ArnEquals?.['aws:PrincipalArn'] as { 'Fn::GetAtt': string[] } | undefined)?.[
          'Fn::GetAtt'
        ][0],
        s.Condition?.StringEquals?.['kms:EncryptionContext:purpose'],
      ]),
    );
    expect(byRole).toEqual({
      [roleOf('api.handler').role]: [...KEY_PURPOSES],
      [roleOf('claim.handler').role]: [...KEY_PURPOSES],
      [roleOf('sweep.handler').role]: ['audit_checkpoint', 'notification_secret'],
    });
    // The role policies carry the same condition, so neither layer alone is looser.
    for (const s of allows.filter((s) => s.type === 'AWS::IAM::Policy' && crypto(s.statement)))
      expect(s.statement.Condition?.StringEquals?.['kms:EncryptionContext:purpose']).toBeDefined();
  });
});
