import { definePullSource } from "../pull-kit";
import { acknowledgeDpdPl, DPD_PL_PAGE_SIZE, dpdPlConfigured, readDpdPlJournal } from "./dpd-pl-journal";
import { dpdPlPayloadSchema } from "./dpd-pl-payload-schema";
import { parseDpdRecord } from "./dpd-pl-record";
import { dpdPlSettings } from "./dpd-pl-settings";
import { dpdPlEventKey, normalizeDpdPl } from "./normalize-dpd-pl";

export const dpdPl = definePullSource({
  name: "dpd-pl",
  color: "#dc0032",
  bodyFormat: 14,
  settings: dpdPlSettings,
  schema: dpdPlPayloadSchema,
  eventKey: dpdPlEventKey,
  normalize: normalizeDpdPl,
  eventTypes: ["shipment.status_changed", "unknown"],
  pull: {
    everyMinutes: 1,
    // 4 x 100 = 400 events a minute at most: 400 D1 writes and 8 SOAP calls a run, well inside a
    // paid Worker's 1,000 D1 queries per invocation beside the other cron jobs.
    pagesPerRun: 4,
    pageSize: DPD_PL_PAGE_SIZE,
    isConfigured: dpdPlConfigured,
    read: readDpdPlJournal,
    acknowledge: acknowledgeDpdPl,
    parseRecord: parseDpdRecord,
    requestUrl: (s) => `${s.DPD_PL_ENDPOINT}#getEventsForCustomerV4`,
  },
});
