/**
 * "The hash of everything the preview was computed from" (SPEC §4): apply, the approval decision
 * and the dispatch recompute or compare it to refuse a stale preview (409 PREVIEW_STALE).
 *
 * Variable values, secret ones included, enter only as digests inside the preimage, and the result
 * is a digest again: nothing stored can be read back into a value. Where the preimage could be
 * guessed (a short password, a known template), the caller may MAC `previewHashPreimage` with the
 * key provider instead of hashing it.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';

export type PreviewHashInput = {
  template: string;
  /** Every variable of the release, secret ones included. */
  variables: Record<string, string>;
  /** `revisionDigest` of what the target runs now; null when nothing was applied yet. */
  targetRevisionDigest: string | null;
  /**
   * The rest the preview depended on: strategy, runtime, namespace or compose project, service
   * and target ids. Editing any of them makes an earlier preview stale, as it should.
   */
  context?: Record<string, string | number | boolean | null>;
};

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Versioned, so changing what goes in cannot make an old hash match a new preimage by accident. */
export function previewHashPreimage(input: PreviewHashInput): string {
  const variables = Object.fromEntries(
    Object.entries(input.variables).map(([name, value]) => [name, sha256(`k8sm-variable-v1\0${value}`)]),
  );
  return canonicalJson({
    v: 1,
    template: sha256(input.template),
    variables,
    target_revision: input.targetRevisionDigest,
    context: input.context ?? {},
  });
}

export const previewHash = (input: PreviewHashInput): string => sha256(previewHashPreimage(input));

/**
 * The digest of the exact, unmasked revision that runs: for k8s the normalised text (namespace
 * forced), for compose the rendered file. The `applied` audit event records it.
 */
export const revisionDigest = (unmaskedRenderedText: string): string => sha256(unmaskedRenderedText);
