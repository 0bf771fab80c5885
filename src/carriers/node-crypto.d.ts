// The simulators (src/carriers/<name>/simulate.ts) run in Node, and tsconfig.node.json checks them
// with Node's types; Workers-side tests import them too (run in workerd with nodejs_compat), and
// src/ is checked against the Workers' types, which do not declare node:crypto. Only what the
// simulators use is declared (merged with inpost-global's), so the Worker gains no Node globals.
declare module "node:crypto" {
  interface Hash {
    update(data: string, encoding?: "utf8"): Hash;
    digest(encoding: "base64" | "hex"): string;
  }
  export function createHash(algorithm: "sha256"): Hash;
  interface Sign {
    update(data: string, encoding?: "utf8"): Sign;
    sign(privateKey: string, encoding: "base64"): string;
  }
  export function createSign(algorithm: "RSA-SHA256" | "sha256"): Sign;
}
