/**
 * A pipeline's `image` template (SPEC §7.2): `registry.internal/web:${SHORT_SHA}`. Only the
 * variables a build report can fill are allowed, so a saved template always renders once its
 * build says enough.
 */
export const IMAGE_VARIABLES = ['SHA', 'SHORT_SHA', 'TAG', 'REF', 'RUN_NUMBER'] as const;
export type ImageVariable = (typeof IMAGE_VARIABLES)[number];

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** Why a template is not one we can render, or null. */
export function imageTemplateProblem(template: string): string | null {
  for (const [, name] of template.matchAll(PLACEHOLDER)) {
    if (!(IMAGE_VARIABLES as readonly string[]).includes(name ?? ''))
      return `\${${name}} is not one of ${IMAGE_VARIABLES.map((v) => `\${${v}}`).join(', ')}`;
  }
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('${')) return 'has an unclosed ${';
  if (/\s/.test(rest)) return 'must not contain whitespace';
  return null;
}

/** What a build report knows; a variable it does not know leaves the image unrendered. */
export type ImageValues = Partial<Record<ImageVariable, string>>;

/** The rendered image, or null while a placeholder it uses has no value (a push has no run number). */
export function renderImage(template: string, values: ImageValues): string | null {
  let missing = false;
  const out = template.replace(PLACEHOLDER, (_, name: ImageVariable) => {
    const v = values[name];
    if (v === undefined || v === '') missing = true;
    return v ?? '';
  });
  return missing ? null : out;
}

/** The values a commit and ref give: tags fill TAG, branches and tags both fill REF. */
export function imageValues(report: {
  commit: string;
  ref: string | null;
  runNumber: string | null;
}): ImageValues {
  const values: ImageValues = { SHA: report.commit, SHORT_SHA: report.commit.slice(0, 7) };
  if (report.ref?.startsWith('refs/tags/')) values.TAG = report.ref.slice('refs/tags/'.length);
  const short = report.ref?.replace(/^refs\/(heads|tags)\//, '');
  if (short) values.REF = short;
  if (report.runNumber) values.RUN_NUMBER = report.runNumber;
  return values;
}
