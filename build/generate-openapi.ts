// `npm run openapi`: writes the operator API's OpenAPI document and its reference page into the
// Hono app's static assets (public/, `[assets]` in wrangler.toml). The routes serve them through the
// ASSETS binding, so neither the document, nor its JSON Schema converter, nor the page's renderer is
// in the Worker's bundle.
import { writeFileSync } from "node:fs";
import { openApiDocument } from "../src/api/openapi-document";
import { type OpenApiDocument, ReferencePage } from "../src/api/reference-page";

const document = openApiDocument();
writeFileSync("public/api/openapi.json", `${JSON.stringify(document, null, 2)}\n`);
const page = await ReferencePage({ doc: document as OpenApiDocument, documentUrl: "/api/openapi.json" });
writeFileSync("public/api/docs.html", page.toString());
console.log("wrote public/api/openapi.json and public/api/docs.html");
