// The operator core: everything the operator API and the dashboard do, with typed results. Both
// are thin adapters over it, so a rule (such as "bulk replay needs a real filter") lives here once.

export { auditPage, signInFailures } from "./audit-page";
export { bulkReplay, namesAFilter } from "./bulk-replay";
export { changeDestination } from "./change-destination";
export { createDestination } from "./create-destination";
export { createKey } from "./create-key";
export { eventDetail } from "./event-detail";
export { eventsPage } from "./events-page";
export { DEFAULT_ID, destinationDetail, listDestinations } from "./list-destinations";
export { listKeys } from "./list-keys";
export { quarantinePage } from "./quarantine-page";
export { removeDestination } from "./remove-destination";
export { replayOne } from "./replay-one";
export { replayToDestination } from "./replay-to-destination";
export { retryQuarantined } from "./retry-quarantined";
export { revokeKey } from "./revoke-key";
export { rotateDestinationSecret } from "./rotate-destination-secret";
export { shipmentDetail } from "./shipment-detail";
export { shipmentsCsv } from "./shipments-csv";
export { shipmentsPage } from "./shipments-page";
export { operatorStats } from "./stats";
