// Every sender parcelhook answers: ONE line each, its folder's `defineCarrier` constant. Routes,
// configuration, `.dev.vars.example`, the OpenAPI enums, the dashboard, the simulator, the bench
// and the storage dictionaries all follow from this list (docs/carriers/adding-a-carrier.md).
export { track17 } from "./17track";
export { aftership } from "./aftership";
export { dpdPl } from "./dpd-pl";
export { easypost } from "./easypost";
export { fedex } from "./fedex";
export { inpost } from "./inpost";
export { inpostGlobal } from "./inpost-global";
export { peddler } from "./peddler";
export { postmen } from "./postmen";
export { sendcloud } from "./sendcloud";
export { shipengine } from "./shipengine";
export { shippo } from "./shippo";
export { swiftpod } from "./swiftpod";
