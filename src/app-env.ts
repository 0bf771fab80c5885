import type { Actor } from "./auth/actor";

/** Hono's type parameters for this Worker: the bindings and the per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** Set by the operator door (src/auth/): who is acting, for the role check and the audit log. */
    actor?: Actor;
    /** Set by the webhook handler: what became of the delivery, for the delivery log. */
    outcome?: "accepted" | "duplicate" | "quarantined";
    eventId?: string;
    /** Set by the error answer, so the delivery log and the rejection counts name the code. */
    errorCode?: string;
  };
}
