/**
 * A revision as people see it: the masked text and documents of a rendered template, plus the
 * digests that let two revisions be compared on their secrets without showing them. The release
 * keeps this masked copy; the unmasked text only travels sealed to a runner.
 */
import { type DigestOptions, maskK8sDocuments, maskText, maskValues, type SecretDigests } from './mask';
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
