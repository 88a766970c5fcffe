// Content rules per template type: what makes a CONTENT_ERROR.
import type { TemplateTypeName } from '@sms/domain-catalogue';
import { countSegments, type SegmentCount } from './segments';
import type { VariableRules } from './template';

export interface TemplateTypeRules extends VariableRules {
  /** Most segments (entries) one message of this type may take. */
  readonly maxSegments: number;
  /** Marketing in some markets must carry the sender's signature (【Brand】 or [Brand]). */
  readonly signatureRequired: boolean;
}

/** Platform defaults; the service's configuration may override them. */
export const DEFAULT_TEMPLATE_TYPE_RULES: Readonly<Record<TemplateTypeName, TemplateTypeRules>> = {
  // A code and a sentence: anything else supplied is a mistake in the sender's request.
  VERIFICATION: {
    refuseUnusedVariables: true,
    maxVariableLength: 32,
    maxSegments: 2,
    signatureRequired: false,
  },
  NOTIFICATION: {
    refuseUnusedVariables: false,
    maxVariableLength: 256,
    maxSegments: 6,
    signatureRequired: false,
  },
  MARKETING: {
    refuseUnusedVariables: false,
    maxVariableLength: 256,
    maxSegments: 6,
    signatureRequired: true,
  },
};

export interface ContentPolicy {
  /** Characters never sent, besides the C0/C1 controls (other than \n and \r) always refused. */
  readonly forbiddenCharacters: ReadonlySet<string>;
}

export type ContentVerdict =
  | { readonly ok: true; readonly count: SegmentCount }
  | { readonly ok: false; readonly count: SegmentCount; readonly detail: string };

// A signature at the start or the end: 【Brand】 (the Chinese market's form) or [Brand].
const SIGNATURE =
  /^\s*(【[^【】\n]{2,20}】|\[[^[\]\n]{2,20}\])|(【[^【】\n]{2,20}】|\[[^[\]\n]{2,20}\])\s*$/u;
const CONTROL = /[\u0000-\u0009\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

/**
 * @param needsSignature whether the recipient's market requires a signature (the caller knows
 *   the market from the number); only asked of types with `signatureRequired`.
 */
export function checkContent(
  content: string,
  type: TemplateTypeName,
  rules: TemplateTypeRules,
  policy: ContentPolicy,
  needsSignature: boolean,
): ContentVerdict {
  const count = countSegments(content);
  if (content.trim() === '') return { ok: false, count, detail: 'content is empty' };
  const control = CONTROL.exec(content);
  if (control) {
    return {
      ok: false,
      count,
      detail: `content has the control character U+${codePoint(control[0])} at position ${control.index}`,
    };
  }
  // Most deployments forbid nothing beyond the controls: no walk over the characters then.
  let position = 0;
  if (policy.forbiddenCharacters.size > 0)
    for (const char of content) {
      if (policy.forbiddenCharacters.has(char)) {
        return {
          ok: false,
          count,
          detail: `content has the forbidden character "${char}" (U+${codePoint(char)}) at position ${position}`,
        };
      }
      position += char.length;
    }
  if (count.segments > rules.maxSegments) {
    return {
      ok: false,
      count,
      detail: `content takes ${count.segments} ${count.encoding === 'GSM7' ? 'GSM-7' : 'UCS-2'} segments (${count.units} ${count.encoding === 'GSM7' ? 'septets' : 'characters'}); ${type} allows at most ${rules.maxSegments}`,
    };
  }
  if (rules.signatureRequired && needsSignature && !SIGNATURE.test(content)) {
    return {
      ok: false,
      count,
      detail: `${type} content to this market needs a signature (【Brand】 or [Brand]) at its start or end`,
    };
  }
  return { ok: true, count };
}

function codePoint(char: string): string {
  return (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
}
