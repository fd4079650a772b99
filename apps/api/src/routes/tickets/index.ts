import { createRouter } from "../../router.js";
import { callTicketRoutes } from "./call-ticket.js";
import { cancelTicketRoutes } from "./cancel-ticket.js";
import { claimTicketPrefixRoutes } from "./claim-ticket-prefix.js";
import { listTicketsRoutes } from "./list-tickets.js";
import { takeTicketRoutes } from "./take-ticket.js";

/** The door's ticket queues for services with few places (docs/api.md "Ticket queues", docs/admin.md). */
export const ticketRoutes = createRouter()
  .route("/", claimTicketPrefixRoutes)
  .route("/", takeTicketRoutes)
  .route("/", listTicketsRoutes)
  .route("/", callTicketRoutes)
  .route("/", cancelTicketRoutes);
