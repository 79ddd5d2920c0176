// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates with ${VAR} placeholders are the subject under test
import { describe, expect, it } from 'vitest';
import { renderTemplate, scanTemplate, yamlStructureErrors } from './render';

describe('renderTemplate', () => {
  it.each([
    {
      name: 'fills every placeholder and lists the names used',
      template: 'image: repo/web:${TAG}\nreplicas: ${REPLICAS}\nname: ${TAG}-x\n',
      variables: { TAG: '1.4.2', REPLICAS: '3' },
      text: 'image: repo/web:1.4.2\nreplicas: 3\nname: 1.4.2-x\n',
      used: ['REPLICAS', 'TAG'],
    },
    {
      name: 'turns $${ into a literal ${ and leaves it unfilled',
      template: 'command: echo $${HOME} ${A}\n',
      variables: { A: 'x' },
      text: 'command: echo ${HOME} x\n',
      used: ['A'],
    },
    {
      name: 'reads $$${X} as a literal $ then the escape',
      template: 'a: $$${X}\n',
      variables: {},
      text: 'a: $${X}\n',
      used: [],
    },
    {
      name: 'keeps a lone $ and $$ as written',
      template: 'a: cost $5 and $$ and ${A}\n',
      variables: { A: 'y' },
      text: 'a: cost $5 and $$ and y\n',
      used: ['A'],
    },
    {
      name: 'inserts values verbatim, without expanding placeholders inside them',
      template: 'a: "${A}"\n',
      variables: { A: "${B} & $$ 'q'" },
      text: 'a: "${B} & $$ \'q\'"\n',
      used: ['A'],
    },
    {
      name: 'accepts an empty value',
      template: 'a: x${A}\n',
      variables: { A: '' },
      text: 'a: x\n',
      used: ['A'],
    },
    {
      name: 'accepts values that stay one scalar inside flow collections',
      template: 'env: {A: "${A}"}\nargs: [${B}]\n',
      variables: { A: 'x, y: z', B: 'one' },
      text: 'env: {A: "x, y: z"}\nargs: [one]\n',
      used: ['A', 'B'],
    },
    {
      name: 'keeps multi-document templates',
      template: 'a: ${A}\n---\nb: ${A}\n',
      variables: { A: '1' },
      text: 'a: 1\n---\nb: 1\n',
      used: ['A'],
    },
  ])('$name', ({ template, variables, text, used }) => {
    expect(renderTemplate(template, variables as Record<string, string>)).toEqual({ ok: true, text, used });
  });

  it.each([
    {
      name: 'names a missing variable and an unknown one, sorted',
      template: 'a: ${ZED}\nb: ${ALPHA}\n',
      variables: { ALPHA: '1', EXTRA: '2' },
      fields: [
        { path: 'variables.EXTRA', message: 'unknown variable: the template does not use it' },
        { path: 'variables.ZED', message: 'missing variable' },
      ],
    },
    {
      name: 'refuses a variable name outside the pattern',
      template: 'a: 1\n',
      variables: { lower: 'x' },
      fields: [{ path: 'variables.lower', message: expect.stringContaining('not a variable name') }],
    },
    {
      name: 'refuses a value with a line break (it could add keys)',
      template: 'a: ${A}\n',
      variables: { A: 'x\nadmin: true' },
      fields: [{ path: 'variables.A', message: expect.stringContaining('single line') }],
    },
    {
      name: 'refuses a value with a carriage return or a unicode line separator',
      template: 'a: ${A}\nb: ${B}\n',
      variables: { A: 'x\r', B: 'x\u2028y' },
      fields: [
        { path: 'variables.A', message: expect.stringContaining('single line') },
        { path: 'variables.B', message: expect.stringContaining('single line') },
      ],
    },
    {
      name: 'refuses control characters',
      template: 'a: ${A}\n',
      variables: { A: 'x\u0000' },
      fields: [{ path: 'variables.A', message: 'must not contain control characters' }],
    },
    {
      name: 'refuses a value that adds a key inside a flow mapping',
      template: 'env: {A: ${A}}\nb: ${B}\n',
      variables: { A: '1, ADMIN: true', B: 'fine' },
      fields: [{ path: 'variables.A', message: expect.stringContaining('changes the YAML structure') }],
    },
    {
      name: 'refuses a value that turns a scalar into a collection',
      template: 'image: ${A}\n',
      variables: { A: '[a, b]' },
      fields: [{ path: 'variables.A', message: expect.stringContaining('changes the YAML structure') }],
    },
    {
      name: 'refuses a value that breaks out of a quoted scalar',
      template: 'a: "${A}"\n',
      variables: { A: 'x", "b": "y' },
      fields: [{ path: 'variables.A', message: expect.stringContaining('changes the YAML structure') }],
    },
    {
      name: 'refuses a value that becomes an alias',
      template: 'base: &b {x: 1}\nc: ${A}\n',
      variables: { A: '*b' },
      fields: [{ path: 'variables.A', message: expect.stringContaining('changes the YAML structure') }],
    },
    {
      name: 'refuses a malformed placeholder with its line',
      template: 'a: 1\nb: ${lower}\nc: ${OPEN\n',
      variables: {},
      fields: [
        { path: 'template', message: expect.stringContaining('line 2: "${lower}" is not a placeholder') },
        { path: 'template', message: expect.stringContaining('line 3: "${" is not a placeholder') },
      ],
    },
    {
      name: 'refuses a template that is not YAML',
      template: 'a: [${A}\n',
      variables: { A: 'x y' },
      fields: [{ path: 'template', message: expect.stringContaining('not valid YAML') }],
    },
  ])('$name', ({ template, variables, fields }) => {
    expect(renderTemplate(template, variables as Record<string, string>)).toEqual({ ok: false, fields });
  });

  it('leaves a broken template with inert values to validation, which names the document', () => {
    expect(renderTemplate('a: [${A}\n', { A: 'x' })).toEqual({ ok: true, text: 'a: [x\n', used: ['A'] });
  });

  it('never echoes a value in its errors', () => {
    const result = renderTemplate('a: {b: ${S}}\n', { S: 'hunter2-secret, c: d' });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('skips the YAML check when asked to', () => {
    expect(renderTemplate('x = [${A}', { A: '1]' }, { yaml: false })).toEqual({
      ok: true,
      text: 'x = [1]',
      used: ['A'],
    });
  });
});

describe('values that skip the structural check', () => {
  const contexts = [
    'k: ${V}\n',
    'k: "${V}"\n',
    "k: '${V}'\n",
    'k: {a: ${V}, b: 1}\n',
    'k: [${V}, b]\n',
    '${V}: x\n',
    '- ${V}\n- b\n',
    'k: |\n  ${V}\n',
    'k: a${V}b\n',
    'k: x # ${V}\n',
    'k: ${V} # c\n',
    '${V}\n',
    'k:\n  - ${V}: 1\n',
  ];
  const inert = [
    'repo.example.com:5000/web:1.4.2',
    '3',
    'a-b_c',
    '/srv/x',
    'v1+build=7',
    'user@host',
    'a~b',
    'A',
    '0777',
    'true',
  ];

  it.each(contexts.flatMap((template) => inert.map((value) => ({ template, value }))))(
    '$value keeps the structure of $template',
    ({ template, value }) => {
      expect(yamlStructureErrors(template, { V: value })).toEqual([]);
      expect(renderTemplate(template, { V: value }).ok).toBe(true);
    },
  );
});

describe('scanTemplate', () => {
  it('lists the placeholders once each, sorted', () => {
    expect(scanTemplate('${B} ${A} ${B} $${C}')).toEqual({ names: ['A', 'B'], fields: [] });
  });

  it('reports malformed placeholders at the given path', () => {
    expect(scanTemplate('a: ${x-y}', 'k8s_manifest').fields).toEqual([
      { path: 'k8s_manifest', message: expect.stringContaining('line 1: "${x-y}"') },
    ]);
  });
});

describe('rendering a compose file', () => {
  const template =
    'services:\n  db:\n    image: pg:1\n    environment:\n      PW: ${PW}\n      HOME_REF: $$HOME\n';

  it('writes each $ of a value as $$, so compose hands the container the value as given', () => {
    const r = renderTemplate(template, { PW: 'pa$word$$' }, { compose: true });
    expect(r).toMatchObject({ ok: true });
    expect(r.ok && r.text).toBe(
      'services:\n  db:\n    image: pg:1\n    environment:\n      PW: pa$$word$$$$\n      HOME_REF: $$HOME\n',
    );
  });

  it("escapes a value that looks like a placeholder, leaving the template's own $ as written", () => {
    const r = renderTemplate('a: ${V} $b\n', { V: '${OTHER}' }, { compose: true });
    expect(r.ok && r.text).toBe('a: $${OTHER} $b\n');
  });

  it('leaves values as given for Kubernetes manifests', () => {
    const r = renderTemplate(template, { PW: 'pa$word' });
    expect(r.ok && r.text).toContain('PW: pa$word\n');
  });
});
