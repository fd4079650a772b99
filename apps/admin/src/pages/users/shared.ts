import { ApiError, type Problem, type Schemas } from "../../api.js";
import type { usersTranslator } from "../../i18n/pages/users.js";

export const ROLES = [
  ["admin", "roleAdmin"],
  ["coordinator", "roleCoordinator"],
  ["reception", "roleReception"],
  ["partner", "rolePartner"],
  ["observer", "roleObserver"],
] as const;
export type RoleCode = (typeof ROLES)[number][0];

export type User = Schemas["User"];
export type Named = Pick<Schemas["Centre"], "id" | "name">;

export function asProblem(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: String(error), status: 0 };
}

export type UsersT = ReturnType<typeof usersTranslator>;
