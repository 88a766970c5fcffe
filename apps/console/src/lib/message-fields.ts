// The SMS Status filter fields and their words, shared by the customer and operator lists.
import type { FilterField } from '../components/FilterForm';
import { t } from '../i18n';
import { earliestDay, localDay } from './filters';
import { PROCESS_FAILED_REASONS, SEND_FAILURE_CODES, STATUSES, TEMPLATE_TYPES } from './vocabulary';
import { codeInWords } from './format';

export function messageFilterFields(now: Date, operator: boolean): FilterField[] {
  const period = { min: earliestDay(now), max: localDay(now), hint: t.filters.periodHint };
  const fields: FilterField[] = [
    { name: 'phone', label: t.filters.phone, kind: 'text', hint: t.filters.phoneHint },
    {
      name: 'templateType',
      label: t.filters.templateType,
      kind: 'select',
      options: TEMPLATE_TYPES.map((value) => ({ value, label: t.templateType[value] ?? value })),
    },
    { name: 'templateId', label: t.filters.templateId, kind: 'text' },
    { name: 'label', label: t.filters.label, kind: 'text' },
    { name: 'smsUser', label: t.filters.smsUser, kind: 'text' },
    { name: 'from', label: t.filters.from, kind: 'date', ...period },
    { name: 'to', label: t.filters.to, kind: 'date', ...period },
    {
      name: 'status',
      label: t.filters.status,
      kind: 'select',
      options: STATUSES.map((value) => ({ value, label: t.status[value] ?? value })),
    },
    {
      name: 'reasonCode',
      label: t.filters.reason,
      kind: 'select',
      options: PROCESS_FAILED_REASONS.map((value) => ({
        value,
        label: t.processFailedReason[value] ?? value,
      })),
      when: (draft) => draft['status'] === 'process_failed',
    },
    {
      name: 'reasonCode',
      label: t.filters.reason,
      kind: 'select',
      options: SEND_FAILURE_CODES.map(({ code, reason }) => ({
        value: String(code),
        label: codeInWords(code, reason),
      })),
      when: (draft) => draft['status'] === 'send_failed',
    },
  ];
  if (operator) {
    fields.unshift({
      name: 'accountId',
      label: t.filters.account,
      kind: 'text',
      hint: t.filters.accountHint,
    });
  }
  return fields;
}
