export {
  checkContent,
  DEFAULT_TEMPLATE_TYPE_RULES,
  type ContentPolicy,
  type ContentVerdict,
  type TemplateTypeRules,
} from './content-rules';
export {
  countSegments,
  SEGMENT_LIMITS,
  type MessageEncodingName,
  type SegmentCount,
} from './segments';
export {
  compileTemplate,
  fillTemplate,
  renderTemplate,
  templateVariables,
  type CompiledTemplate,
  type RenderResult,
  type VariableRules,
} from './template';
