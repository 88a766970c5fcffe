// Rendering a template's {{name}} placeholders, with the checks that make a VARIABLE_ERROR.

export interface VariableRules {
  /** Supplied variables the template does not use are refused (e.g. verification codes). */
  readonly refuseUnusedVariables: boolean;
  /** Characters (code points) a value may have. */
  readonly maxVariableLength: number;
}

export type RenderResult =
  | { readonly ok: true; readonly content: string }
  | { readonly ok: false; readonly variable: string; readonly detail: string };

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]{0,63})\s*\}\}/g;

/** The names a template uses, each once, in order of first use. */
export function templateVariables(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (match) => match[1]))];
}

export function renderTemplate(
  template: string,
  variables: Readonly<Record<string, string>>,
  rules: VariableRules,
): RenderResult {
  const names = templateVariables(template);
  // A brace pair left after the well-formed placeholders are taken out is a placeholder nobody
  // can fill (`{{ 1st }}`, `{{name}`): refuse rather than send the braces to the recipient.
  const leftover = template.replace(PLACEHOLDER, '');
  const broken = /\{\{[^}]*\}?\}?|\{[^{}]*\}\}/.exec(leftover);
  if (broken) {
    return {
      ok: false,
      variable: broken[0],
      detail: `template has a malformed placeholder "${broken[0]}" (expected {{name}})`,
    };
  }
  for (const name of names) {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined) {
      return { ok: false, variable: name, detail: `variable "${name}" is not supplied` };
    }
    if (value.trim() === '') {
      return { ok: false, variable: name, detail: `variable "${name}" is empty` };
    }
    const length = [...value].length;
    if (length > rules.maxVariableLength) {
      return {
        ok: false,
        variable: name,
        detail: `variable "${name}" is ${length} characters; at most ${rules.maxVariableLength}`,
      };
    }
  }
  if (rules.refuseUnusedVariables) {
    const used = new Set(names);
    const unused = Object.keys(variables).find((name) => !used.has(name));
    if (unused !== undefined) {
      return {
        ok: false,
        variable: unused,
        detail: `variable "${unused}" is supplied but the template does not use it`,
      };
    }
  }
  const content = template.replace(PLACEHOLDER, (_, name: string) => variables[name]);
  return { ok: true, content };
}
