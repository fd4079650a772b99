import type { Role } from "@halte/core";

/** Who is calling, once authenticated. */
export type Principal =
  | {
      kind: "user";
      id: string;
      role: Role;
      /** null: an admin of every centre. */
      centreId: string | null;
      partnerId: string | null;
      csrfToken: string;
    }
  | {
      kind: "token";
      id: string;
      role: "partner";
      centreId: string;
      partnerId: string;
    };
