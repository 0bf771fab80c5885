// The operator core: everything the operator API and the dashboard do, with typed results. Both
// are thin adapters over it, so a rule (such as "bulk replay needs a real filter") lives here once.
export { bulkReplay, namesAFilter } from "./bulk-replay";
export { eventDetail } from "./event-detail";
export { eventsPage } from "./events-page";
export { quarantinePage } from "./quarantine-page";
export { replayOne } from "./replay-one";
export { retryQuarantined } from "./retry-quarantined";
export { shipmentDetail } from "./shipment-detail";
export { shipmentsCsv } from "./shipments-csv";
export { shipmentsPage } from "./shipments-page";
export { operatorStats } from "./stats";
