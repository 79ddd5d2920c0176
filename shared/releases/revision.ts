/**
 * A revision as people see it: the masked text and documents of a rendered template, plus the
 * digests that let two revisions be compared on their secrets without showing them. The release
 * keeps this masked copy; the unmasked text only travels sealed to a runner.
 */
import { createHash } from 'node:crypto';
import {
  type DigestOptions,
  maskK8sDocuments,
  maskText,
  maskTextAs,
  maskValues,
  maskValuesAs,
  type SecretDigests,
  type SecretMasks,
  type SecretShow,
} from './mask';
import { composeEscape } from './render';
import { stringifyYamlDocuments } from './yaml';

export type Revision = {
  /** Masked text: the normalised YAML for k8s, the rendered file for compose. */
  text: string;
  /** Masked parsed documents: every k8s document, or the one compose document. */
  documents: unknown[];
  /** `Secret/<name>/<key>` -> digest (k8s only). */
  secretDigests: SecretDigests;
  /** secret variable name -> digest of its value. */
  secretVariableDigests: Record<string, string>;
};

export type RevisionSecrets = {
  /** The values of the release's secret variables, masked wherever they occur. */
  secretValues: readonly string[];
  secretVariableDigests: Record<string, string>;
} & DigestOptions;

/** From `validateK8s`'s documents; the text is rebuilt from the masked documents. */
export function k8sRevision(documents: readonly unknown[], secrets: RevisionSecrets): Revision {
  const { masked, secretDigests } = maskK8sDocuments(documents, secrets);
  const clean = masked.map((d) => maskValues(d, secrets.secretValues));
  return {
    text: maskText(stringifyYamlDocuments(clean), secrets.secretValues),
    documents: clean,
    secretDigests,
    secretVariableDigests: { ...secrets.secretVariableDigests },
  };
}

/** From the rendered compose file (the runner ships it as written) and `validateCompose`'s document. */
export function composeRevision(text: string, document: unknown, secrets: RevisionSecrets): Revision {
  return {
    text: maskText(text, secrets.secretValues),
    documents: [maskValues(document, secrets.secretValues)],
    secretDigests: {},
    secretVariableDigests: { ...secrets.secretVariableDigests },
  };
}

/**
 * The masked revision people read back and approve (SPEC §7.5): the same masking, but each secret
 * shows as what `show` makes of it (`***` and its tag) instead of a bare `***`. Secret variables are
 * named by their variable name, Secret entries by `Secret/<name>/<key>`.
 */
export function k8sTaggedText(
  documents: readonly unknown[],
  secretVariables: Record<string, string>,
  show: SecretShow,
): string {
  const { masked } = maskK8sDocuments(documents, { show });
  const masks = variableMasks(secretVariables, show, false);
  return maskTextAs(stringifyYamlDocuments(masked.map((d) => maskValuesAs(d, masks))), masks);
}

/** The compose file as rendered, each secret variable (also as written escaped) shown by `show`. */
export function composeTaggedText(text: string, secretVariables: Record<string, string>, show: SecretShow) {
  return maskTextAs(text, variableMasks(secretVariables, show, true));
}

/** sha256 hex of exactly the masked revision's UTF-8 bytes: what anyone can recompute. */
export const maskedDigest = (maskedRevision: string) =>
  createHash('sha256').update(maskedRevision, 'utf8').digest('hex');

/** value -> what it shows as; by name order, so two variables with one value show alike every time. */
function variableMasks(variables: Record<string, string>, show: SecretShow, compose: boolean): SecretMasks {
  const masks = new Map<string, string>();
  for (const name of Object.keys(variables).sort()) {
    const value = variables[name]!;
    if (value === '' || masks.has(value)) continue;
    const shown = show(name, value);
    masks.set(value, shown);
    if (compose && !masks.has(composeEscape(value))) masks.set(composeEscape(value), shown);
  }
  return masks;
}
