export { DEFAULTS } from "./config-schema";
export { type Config, type ConfigProblem, parseConfig, readConfig, secretList } from "./read-config";
