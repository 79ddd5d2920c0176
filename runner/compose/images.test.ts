import { describe, expect, it } from 'vitest';
import { imagesToPull, pinnedByDigest } from './images';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('the images a release pulls itself', () => {
  it('lists each image the services name, once', () => {
    const file = `services:
  web: {image: "registry.local:5000/shop/web:v2"}
  worker: {image: "registry.local:5000/shop/web:v2", command: ["work"]}
  db: {image: "postgres@${DIGEST}"}
`;
    expect(imagesToPull(file)).toEqual(['registry.local:5000/shop/web:v2', `postgres@${DIGEST}`]);
  });

  it.each([
    ['a build', 'services:\n  web: {image: a:1, build: .}\n'],
    ['a platform', 'services:\n  web: {image: a:1, platform: linux/arm64}\n'],
    ['a pull policy', 'services:\n  web: {image: a:1, pull_policy: never}\n'],
    ['profiles', 'services:\n  web: {image: a:1, profiles: [debug]}\n'],
    ['extends', 'services:\n  web: {image: a:1, extends: {file: base.yml, service: web}}\n'],
    ['no image', 'services:\n  web: {command: ["true"]}\n'],
    ['an image compose would still interpolate', 'services:\n  web: {image: "a:$${TAG}"}\n'],
    ['no services', 'version: "3"\n'],
    ['a file that is not YAML', 'services: [\n'],
  ])('leaves a file with %s to compose', (_, file) => {
    expect(imagesToPull(file)).toBeNull();
  });

  it('knows an image pinned by digest, which cannot move', () => {
    expect(pinnedByDigest(`postgres@${DIGEST}`)).toBe(true);
    expect(pinnedByDigest('postgres:16')).toBe(false);
  });
});
