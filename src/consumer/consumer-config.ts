export interface ConsumerConfig {
  /** Where events are POSTed; null = only store them. */
  forwardUrl: string | null;
  signingSecret: string | null;
  retryBaseSeconds: number;
  timeoutMs: number;
}

export const DEFAULT_RETRY_BASE_SECONDS = 30;
export const DEFAULT_FORWARD_TIMEOUT_MS = 15_000;

/** Reads the consumer's settings; a missing or unparsable number falls back to its default. */
export function consumerConfig(env: {
  FORWARD_URL?: string;
  FORWARD_SIGNING_SECRET?: string;
  FORWARD_RETRY_BASE_SECONDS?: string;
  FORWARD_TIMEOUT_MS?: string;
}): ConsumerConfig {
  return {
    forwardUrl: nonEmpty(env.FORWARD_URL),
    signingSecret: nonEmpty(env.FORWARD_SIGNING_SECRET),
    retryBaseSeconds: positive(env.FORWARD_RETRY_BASE_SECONDS, DEFAULT_RETRY_BASE_SECONDS),
    timeoutMs: positive(env.FORWARD_TIMEOUT_MS, DEFAULT_FORWARD_TIMEOUT_MS),
  };
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== "" ? value.trim() : null;
}

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
