// What people read about this sender: scripts and docs only. The Workers never import this file,
// so none of its text is in their bundles (src/carriers/about.ts reads it for the scripts).
import type { CarrierAbout } from "../kit";
import type { shipengine } from "./index";

export const about: CarrierAbout<typeof shipengine> = {
  title: "ShipEngine / ShipStation API v2",
  settings: {
    SHIPENGINE_JWKS_URL: {
      doc: "where ShipEngine's signing keys are fetched from (set https://api.shipengine.com/jwks, ShipEngine's, to turn the route on); fetched and cached per isolate, at most once a minute",
      example: "https://api.shipengine.com/jwks",
    },
    SHIPENGINE_PUBLIC_KEYS: {
      doc: 'or the keys pinned, as a JWKS JSON ({"keys":[{"kty":"RSA","kid":...,"n":...,"e":...}]}); when set, nothing is fetched. The example is the test key of carriers-next.md 6.1, which the simulator signs with: never in production',
      example:
        '{"keys":[{"kty":"RSA","kid":"parcelhook-test-2026-12","use":"sig","alg":"RS256","n":"yJPEWa8QKDllcrkleg93O52RCtpuvr8s6co4Nx67qE2EraMXUSeeNAs8aZ9mRt-IA0hfb0Dij-egZyfAeaBkwSBIKMjabepU1vkJc4gEmRyvhO-hv4O33AsH3cyr0Bc9zT7VYDWLXbgq_HwfS1v6kAlUYqjvoBQ3mZhXWmucRO3Gon_FNfifUTONwYQnHfWdNKvvdXdqgmGnUY53UmjKLe_15hYRXeAwejSYwqCW0XOPqF009seIOvNzGOiFxJ1N7272ajwoaG9fOleexPCzYnzsn3BVipP9ZHuhPsWior89W5Y1XAdPaEAIZteCx7p44c7ahjd8ND4-KcC6j1NCAQ","e":"AQAB"}]}',
    },
  },
};
