// simulate.ts runs in Node and tsconfig.node.json checks it with Node's types; but a Workers-side
// test imports it too (test/unit/inpost-global-simulate.test.ts, run in workerd with nodejs_compat),
// and src/ is checked against the Workers' types, which do not declare node:crypto. Only what
// simulate.ts uses is declared, so the Worker gains no Node globals.
declare module "node:crypto" {
  interface Hmac {
    update(data: string, encoding?: "utf8"): Hmac;
    digest(encoding: "base64" | "hex"): string;
  }
  export function createHmac(algorithm: "sha256", key: string): Hmac;
}
