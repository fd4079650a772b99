import { CaptionedTable } from "../../components/report-parts.js";

import type { User, UsersT } from "./shared.js";

/** Every staff account: name, email, role, centre, and a way to disable it (never one's own) or re-enable it. */
export function UserTable(props: {
  t: UsersT;
  users: User[];
  selfId: string;
  roleName: (role: string) => string;
  centreName: (id: string | null) => string;
  onDisable: (user: User) => void;
  onEnable: (user: User) => void;
}) {
  const { t, users, roleName, centreName } = props;
  return (
    <CaptionedTable
      id="users"
      class="figures"
      caption={t("caption")}
      headers={[t("name"), t("email"), t("role"), t("centre"), t("state")]}
    >
      <tbody>
        {users.map((user) => (
          <tr key={user.id}>
            <th scope="row">
              {user.name}
              {user.id === props.selfId && ` (${t("you")})`}
            </th>
            <td>{user.email}</td>
            <td>{roleName(user.role)}</td>
            <td>{centreName(user.centreId)}</td>
            <td>
              {user.disabledAt ? (
                <>
                  {t("disabled", { at: user.disabledAt.slice(0, 10) })}{" "}
                  <button
                    type="button"
                    aria-label={t("enableNamed", { name: user.name })}
                    onClick={() => props.onEnable(user)}
                  >
                    {t("enable")}
                  </button>
                </>
              ) : user.id === props.selfId ? (
                t("active")
              ) : (
                <button
                  type="button"
                  aria-label={t("disableNamed", { name: user.name })}
                  onClick={() => props.onDisable(user)}
                >
                  {t("disable")}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </CaptionedTable>
  );
}
