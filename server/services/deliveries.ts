/**
 * Kept only while the staff area's refactor (server/services/staff-admin.ts, staff-requests.ts) still
 * imports from here: forwarding is now split by job (issue 12). Import from the module that does it:
 * channels.ts, forwarding.ts, request-document.ts, delivery-attempts.ts, status-updates.ts, and
 * server/worker/deliveries.ts for the worker. Delete this file once nothing imports it.
 */
export { addChannel, channelConfig } from './channels';
export { retryDelivery } from './delivery-attempts';
export { applyRecipientUpdate, type UpdateOutcome } from './status-updates';
