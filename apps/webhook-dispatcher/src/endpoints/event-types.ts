/** The event types an endpoint may subscribe to (README "Webhooks"). */
export const EVENT_TYPES = [
  'message.status',
  'reply.received',
  'unsubscribe.changed',
  'block_list.entry_created',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
