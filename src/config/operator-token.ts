/** An operator token (ADMIN_TOKEN) must be at least this long: a short one falls to guessing. */
export const MIN_OPERATOR_TOKEN = 32;
/** A carrier secret shorter than this is named in /health as a warning (it still works). */
export const MIN_CARRIER_SECRET = 16;

// RFC 6750's token68, the only characters `Authorization: Bearer <token>` can carry: a token
// outside it would sign in to the dashboard and always get 401 from the API.
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

/**
 * Why the values of ADMIN_TOKEN cannot be used, or null when every one can. One bad value refuses
 * them all: a rotation list with a weak token in it is as weak as that token. Never quotes a value.
 */
export function operatorTokenProblem(tokens: readonly string[]): string | null {
  if (tokens.some((t) => t.length < MIN_OPERATOR_TOKEN)) {
    return `every value must be at least ${MIN_OPERATOR_TOKEN} characters (openssl rand -hex 32)`;
  }
  if (tokens.some((t) => !TOKEN68.test(t))) {
    return "every value must be an RFC 6750 bearer token: A-Z, a-z, 0-9 and - . _ ~ + / (= only at the end)";
  }
  return null;
}
