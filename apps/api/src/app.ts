import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { apiReferenceFile, apiReferencePage } from "./api-reference.js";
import { authenticate } from "./auth/middleware.js";
import { Databases } from "./databases.js";
import { readConfig } from "./env.js";
import { uuidv7 } from "./ids.js";
import { createConsoleLogger, describeError } from "./logger.js";
import { ApiProblem, problemResponse } from "./problem.js";
import { createRouter } from "./router.js";
import { securityHeaders } from "./security-headers.js";

/** The largest JSON body any route accepts; batches are also capped by count. */
export const MAX_BODY_BYTES = 1024 * 1024;

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Builds the API shell: security headers, services on the context, body limits, content types,
 * authentication, `/api/openapi.json`, `/api/docs`, and one error handler that renders every refusal as
 * problem details.
 */
export function createApp() {
  const app = createRouter();

  app.use("*", securityHeaders);

  app.use("/api/*", async (c, next) => {
    const config = readConfig(c.env);
    const logger = createConsoleLogger();
    if (!config.success) {
      logger.error("worker configuration is invalid", {
        fields: config.error.issues.map((i) => i.path.join(".")),
      });
      throw new ApiProblem("unavailable", "The server is not configured");
    }
    const dbs = new Databases(c.env);
    c.set("services", {
      db: dbs.directory,
      d1: c.env.DB,
      dbs,
      config: config.data,
      logger,
      now: () => new Date(),
      newId: () => uuidv7(new Date()),
    });
    c.set("principal", null);
    const started = Date.now();
    await next();
    logger.info("request", {
      method: c.req.method,
      route: c.req.routePath,
      status: c.res.status,
      ms: Date.now() - started,
    });
  });

  app.use(
    "/api/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiProblem("payload_too_large", `Bodies are limited to ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.use("/api/*", async (c, next) => {
    if (unsafeMethods.has(c.req.method) && !c.req.path.startsWith("/api/webhooks/")) {
      const type = c.req.header("content-type") ?? "";
      const length = c.req.header("content-length");
      // An empty POST (a sign-out, an archive) needs no content type: trust a declared length of 0, since
      // requests arriving over HTTP carry a (possibly empty) body stream either way.
      const hasBody = length !== undefined ? length !== "0" : c.req.raw.body !== null;
      if (hasBody && !/^application\/json\s*(;|$)/i.test(type)) {
        throw new ApiProblem("unsupported_media_type", "Send the body as application/json");
      }
    }
    await next();
  });

  app.use("/api/*", authenticate);

  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Halte API",
      version: "0.1.0",
      description:
        "Operations API for humanitarian drop-in day centres. Every error is an RFC 9457 problem details body " +
        "(`application/problem+json`) with a stable `code`. Unknown fields in request bodies are refused " +
        "(`unknown_field`).",
      license: { name: "AGPL-3.0-or-later", url: "https://www.gnu.org/licenses/agpl-3.0.html" },
    },
    servers: [{ url: "/" }],
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "halte_session",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "token", { type: "http", scheme: "bearer" });
  app.get("/api/docs", apiReferencePage);
  app.get("/api/docs/:file", apiReferenceFile);

  app.notFound((c) =>
    problemResponse(c, new ApiProblem("not_found", `No route for ${c.req.method} ${c.req.path}`)),
  );

  app.onError((error, c) => {
    if (error instanceof ApiProblem) return problemResponse(c, error);
    if (error instanceof HTTPException) {
      const code =
        error.status === 413
          ? "payload_too_large"
          : error.status === 401
            ? "unauthenticated"
            : "malformed_request";
      return problemResponse(c, new ApiProblem(code, error.message));
    }
    if (error instanceof SyntaxError) {
      return problemResponse(c, new ApiProblem("malformed_request", "The body is not valid JSON"));
    }
    c.get("services")?.logger.error("unhandled error", {
      route: c.req.routePath,
      error: describeError(error),
    });
    return problemResponse(c, new ApiProblem("internal"));
  });

  return app;
}
