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

/** A template parsed once, rendered many times (a batch repeats a few templates). */
export interface CompiledTemplate {
  /** The names it uses, each once, in order of first use. */
  readonly names: readonly string[];
  /** The text around the placeholders: `parts[0] slots[0] parts[1] … parts[n]`. */
  readonly parts: readonly string[];
  readonly slots: readonly string[];
  /** A malformed placeholder left after the well-formed ones, or null. */
  readonly broken: string | null;
}

export function compileTemplate(template: string): CompiledTemplate {
  const parts: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push(template.slice(last, match.index));
    slots.push(match[1]);
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last));
  // A brace pair left after the well-formed placeholders are taken out is a placeholder nobody
  // can fill (`{{ 1st }}`, `{{name}`): refuse rather than send the braces to the recipient.
  const broken = /\{\{[^}]*\}?\}?|\{[^{}]*\}\}/.exec(parts.join(''));
  return { names: [...new Set(slots)], parts, slots, broken: broken ? broken[0] : null };
}

/** The template with each placeholder replaced by `fill(name)`. */
export function fillTemplate(compiled: CompiledTemplate, fill: (name: string) => string): string {
  let content = compiled.parts[0];
  for (let i = 0; i < compiled.slots.length; i++)
    content += fill(compiled.slots[i]) + compiled.parts[i + 1];
  return content;
}

export function renderTemplate(
  template: string | CompiledTemplate,
  variables: Readonly<Record<string, string>>,
  rules: VariableRules,
): RenderResult {
  const compiled = typeof template === 'string' ? compileTemplate(template) : template;
  if (compiled.broken !== null) {
    return {
      ok: false,
      variable: compiled.broken,
      detail: `template has a malformed placeholder "${compiled.broken}" (expected {{name}})`,
    };
  }
  for (const name of compiled.names) {
    const value = Object.hasOwn(variables, name) ? variables[name] : undefined;
    if (value === undefined) {
      return { ok: false, variable: name, detail: `variable "${name}" is not supplied` };
    }
    if (value.trim() === '') {
      return { ok: false, variable: name, detail: `variable "${name}" is empty` };
    }
    // Code points never outnumber UTF-16 units: count them only when the units are too many.
    const length = value.length > rules.maxVariableLength ? [...value].length : value.length;
    if (length > rules.maxVariableLength) {
      return {
        ok: false,
        variable: name,
        detail: `variable "${name}" is ${length} characters; at most ${rules.maxVariableLength}`,
      };
    }
  }
  if (rules.refuseUnusedVariables) {
    const used = new Set(compiled.names);
    const unused = Object.keys(variables).find((name) => !used.has(name));
    if (unused !== undefined) {
      return {
        ok: false,
        variable: unused,
        detail: `variable "${unused}" is supplied but the template does not use it`,
      };
    }
  }
  return { ok: true, content: fillTemplate(compiled, (name) => variables[name]) };
}
