// The simulator (simulate.ts) runs in Node, but src/ is typed for workerd, which has no Node
// types: only what simulate.ts uses is declared here (it merges with @types/node where present).
declare module "node:crypto" {
  interface Hmac {
    update(data: string): Hmac;
    digest(encoding: "hex" | "base64"): string;
  }
  export function createHmac(algorithm: string, key: string): Hmac;
}
