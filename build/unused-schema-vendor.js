// hono-openapi's helpers load a converter per schema library with dynamic imports; parcelhook's
// schemas are all valibot, so the zod/effect/sury converters are never loaded. wrangler.toml aliases
// them here to keep them (400+ KiB of zod) out of the Worker bundle.
export default {};
