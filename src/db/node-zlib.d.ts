// workerd implements node:zlib natively (the nodejs_compat flag). Only what the body codec uses is
// declared here, so the Worker's types do not gain Node's globals.
declare module "node:zlib" {
  interface ZlibOptions {
    level?: number;
    dictionary?: Uint8Array;
    maxOutputLength?: number;
  }
  export function deflateRawSync(buffer: Uint8Array, options?: ZlibOptions): Uint8Array;
  export function inflateRawSync(buffer: Uint8Array, options?: ZlibOptions): Uint8Array;
}
