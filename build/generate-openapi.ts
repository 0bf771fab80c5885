// `npm run openapi`: writes the operator API's OpenAPI document, which the Worker serves as it is
// (generating it at runtime would bundle a JSON Schema converter into the Worker).
import { writeFileSync } from "node:fs";
import { openApiDocument } from "../src/api/openapi-document";

writeFileSync("src/api/openapi.json", `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log("wrote src/api/openapi.json");
