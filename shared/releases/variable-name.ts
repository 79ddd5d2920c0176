/**
 * What a template variable may be called. On its own, apart from the renderer, because the release
 * contracts and the database schema need the rule but not the YAML parser the renderer loads.
 */
export const VARIABLE_NAME = /^[A-Z_][A-Z0-9_]*$/;
export const VARIABLE_NAME_RULE = 'names are A-Z, 0-9 and "_", not starting with a digit';
