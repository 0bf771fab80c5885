// simulate.ts runs in Node, but src/ is type-checked against the Workers' types, which do not
// declare node:crypto. Only what simulate.ts uses is declared, so the Worker gains no Node globals.
declare module "node:crypto" {
  interface Hmac {
    update(data: string, encoding: "utf8"): Hmac;
    digest(encoding: "base64" | "hex"): string;
  }
  export function createHmac(algorithm: "sha256", key: string): Hmac;
}
