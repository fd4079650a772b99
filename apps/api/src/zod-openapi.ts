// zod 4 copies prototype methods onto each schema when it is built, so `.openapi()` exists only on schemas
// created after @hono/zod-openapi has extended zod. This module is imported first by the Worker entry so
// that @halte/core's schemas, built when core is first evaluated, can be named in the OpenAPI document.
import "@hono/zod-openapi";
