/** The `${VAR}` names a template uses, in order of first use (the renderer fills exactly these). */
export function placeholdersOf(template: string | null | undefined): string[] {
  const names: string[] = [];
  for (const m of (template ?? '').matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g))
    if (!names.includes(m[1]!)) names.push(m[1]!);
  return names;
}
