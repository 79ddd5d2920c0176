/**
 * The images a release pulls, read from the rendered file. The docker CLI pulls one in a fraction
 * of the time docker-compose v1 takes to start, and a tag the engine has already is checked with
 * the registry without moving a layer; an image pinned by digest that the engine has is not asked
 * for at all, since it cannot have moved. Whatever the adapter cannot read as plainly as compose
 * would (a build, a platform, a pull policy, profiles, `extends`, an interpolation left for the host) goes to
 * `compose pull` as before: null.
 */
import { parse } from 'yaml';

/**
 * Service keys that change what compose pulls, or whether: a service of an inactive profile is
 * not pulled, and `extends` can bring a build or another image from elsewhere.
 */
const COMPOSE_DECIDES = ['build', 'platform', 'pull_policy', 'profiles', 'extends'];

export function imagesToPull(rendered: string): string[] | null {
  let doc: unknown;
  try {
    doc = parse(rendered);
  } catch {
    return null;
  }
  const services = (doc as { services?: unknown } | null)?.services;
  if (!services || typeof services !== 'object' || Array.isArray(services)) return null;
  const images = new Set<string>();
  for (const s of Object.values(services as Record<string, unknown>)) {
    if (!s || typeof s !== 'object') return null;
    const svc = s as Record<string, unknown>;
    if (COMPOSE_DECIDES.some((k) => k in svc)) return null;
    const image = svc.image;
    // `$`: compose would still interpolate it (from the host's environment or `$$`).
    if (typeof image !== 'string' || !image || image.includes('$') || /\s/.test(image)) return null;
    images.add(image);
  }
  return images.size ? [...images] : null;
}

export const pinnedByDigest = (image: string) => /@sha256:[0-9a-f]{64}$/.test(image);
