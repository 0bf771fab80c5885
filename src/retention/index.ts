export { applyRetention, RETENTION_CHUNK, RETENTION_MAX_CHUNKS, type RetentionResult } from "./apply-retention";
