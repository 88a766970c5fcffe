// The SMS Status filter fields and their words, shared by the customer and operator lists.
import type { FilterField, FilterOption } from '../components/FilterForm';
import { accountField } from './account-field';
import { t } from '../i18n';
import { earliestDay, localDay, statusList } from './filters';
import {
  FINAL_FAILED,
  PROCESS_FAILED_REASONS,
  SEND_FAILURE_CODES,
  STATUSES,
  TEMPLATE_TYPES,
} from './vocabulary';
import { codeInWords } from './format';

/** Operator lists: `accounts` are the picker's choices (absent for a customer). */
export function messageFilterFields(now: Date, accounts?: readonly FilterOption[]): FilterField[] {
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
      kind: 'checks',
      options: STATUSES.map((value) => ({ value, label: t.status[value] ?? value })),
    },
    {
      name: 'reasonCode',
      label: t.filters.reason,
      kind: 'select',
      // The reasons of the failed statuses picked: the 8 process-failed reasons, the 10 codes.
      groups: (draft) => {
        const picked = statusList(draft['status']);
        return [
          ...(picked.includes('process_failed')
            ? [
                {
                  label: t.status['process_failed'] ?? 'process_failed',
                  options: PROCESS_FAILED_REASONS.map((value) => ({
                    value,
                    label: t.processFailedReason[value] ?? value,
                  })),
                },
              ]
            : []),
          ...(picked.includes('send_failed')
            ? [
                {
                  label: t.status['send_failed'] ?? 'send_failed',
                  options: SEND_FAILURE_CODES.map(({ code, reason }) => ({
                    value: String(code),
                    label: codeInWords(code, reason),
                  })),
                },
              ]
            : []),
        ];
      },
      when: (draft) => statusList(draft['status']).some((s) => FINAL_FAILED.includes(s as never)),
    },
  ];
  if (accounts) fields.unshift(accountField(accounts, t.operator.allAccounts));
  return fields;
}
