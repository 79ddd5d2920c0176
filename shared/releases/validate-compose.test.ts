import { describe, expect, it } from 'vitest';
import { composeReplicas, validateCompose } from './validate-compose';

describe('validateCompose', () => {
  it('returns the document and the service names, sorted', () => {
    const text =
      'name: shop\nservices:\n  web: {image: repo/web:1.0}\n  db: {image: postgres:16}\nvolumes: {data: {}}\n';
    const result = validateCompose(text);
    expect(result).toMatchObject({ ok: true, services: ['db', 'web'], warnings: [] });
    expect(result.ok && result.document.volumes).toEqual({ data: {} });
  });

  it.each([
    {
      name: 'an empty file',
      text: '',
      fields: [{ path: 'document', message: 'must be exactly one YAML document' }],
    },
    {
      name: 'two documents',
      text: 'services: {a: {image: x}}\n---\nservices: {b: {image: y}}\n',
      fields: [{ path: 'document', message: 'must be exactly one YAML document' }],
    },
    {
      name: 'a list',
      text: '- a\n',
      fields: [{ path: 'document', message: 'must be a mapping with services' }],
    },
    {
      name: 'no services',
      text: 'services: {}\n',
      fields: [{ path: 'services', message: 'must be a mapping with at least one service' }],
    },
    {
      name: 'a build instead of an image',
      text: 'services:\n  web: {build: .}\n',
      fields: [
        {
          path: 'services.web.build',
          message: 'the platform does not build images: give the image your CI built',
        },
        { path: 'services.web.image', message: 'must name the image to run' },
      ],
    },
    {
      name: 'a service that is not a mapping',
      text: 'services:\n  web: nginx\n',
      fields: [{ path: 'services.web', message: 'must be a mapping with an image' }],
    },
    {
      name: 'a service name compose refuses',
      text: 'services:\n  "web app": {image: x}\n',
      fields: [{ path: 'services["web app"]', message: expect.stringContaining('service names') }],
    },
    {
      name: 'include, which reads files on the host',
      text: 'include: [other.yaml]\nservices:\n  web: {image: x}\n',
      fields: [{ path: 'include', message: expect.stringContaining('files on the host') }],
    },
    {
      name: 'extends from another file',
      text: 'services:\n  web: {image: x, extends: {file: base.yaml, service: b}}\n',
      fields: [{ path: 'services.web.extends.file', message: expect.stringContaining('file on the host') }],
    },
    {
      name: 'negative or fractional replicas',
      text: 'services:\n  web: {image: x, deploy: {replicas: -1}}\n  api: {image: y, scale: 1.5}\n',
      fields: [
        { path: 'services.web.deploy.replicas', message: 'must be a whole number, 0 or more' },
        { path: 'services.api.scale', message: 'must be a whole number, 0 or more' },
      ],
    },
    {
      name: 'a key given twice',
      text: 'services:\n  web: {image: x}\n  web: {image: y}\n',
      fields: [{ path: 'document', message: 'not valid YAML: a key appears twice in one mapping (line 3)' }],
    },
    {
      name: 'invalid YAML',
      text: 'services:\n  web: {image: x\n',
      fields: [{ path: 'document', message: expect.stringContaining('not valid YAML') }],
    },
  ])('refuses $name', ({ text, fields }) => {
    expect(validateCompose(text)).toEqual({ ok: false, fields });
  });

  it('reads YAML as compose v2 does, merge keys included', () => {
    const text =
      'x-base: &base {image: y, restart: always}\nservices:\n  a:\n    <<: *base\n    mem_limit: 1g\n';
    const result = validateCompose(text);
    expect(result.ok && result.document.services).toEqual({
      a: { image: 'y', restart: 'always', mem_limit: '1g' },
    });
  });

  it('warns, without refusing, about privileged services and host access', () => {
    const text = `services:
  agent:
    image: x
    privileged: true
    network_mode: host
    pid: host
    volumes:
      - /var/run/docker.sock:/var/run/docker.sock
      - {type: bind, source: /, target: /host}
      - data:/data
`;
    const result = validateCompose(text);
    expect(result.ok && result.warnings).toEqual([
      { path: 'services.agent.privileged', message: 'runs privileged' },
      { path: 'services.agent.network_mode', message: "shares the host's namespace" },
      { path: 'services.agent.pid', message: "shares the host's namespace" },
      { path: 'services.agent.volumes[0]', message: 'mounts the host root or the Docker socket' },
      { path: 'services.agent.volumes[1]', message: 'mounts the host root or the Docker socket' },
    ]);
  });
});

describe('composeReplicas', () => {
  it.each([
    [{ image: 'x' }, 1],
    [{ image: 'x', deploy: { replicas: 3 } }, 3],
    [{ image: 'x', deploy: { replicas: 0 } }, 0],
    [{ image: 'x', scale: 2 }, 2],
    [{ image: 'x', scale: 2, deploy: { replicas: 4 } }, 4],
  ])('%j runs %i', (service, n) => {
    expect(composeReplicas(service)).toBe(n);
  });
});
