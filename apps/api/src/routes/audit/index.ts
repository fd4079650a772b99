import { createRouter } from "../../router.js";
import { listAuditEntriesRoute } from "./list-audit-entries.js";

export const auditRoutes = createRouter().route("/", listAuditEntriesRoute);
