import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem } from "../../api.js";
import { problemText } from "../../components/report-parts.js";
import { usersTranslator } from "../../i18n/pages/users.js";
import type { StaffPageProps } from "../../staff-page.js";

import { DoorDevices } from "./door-devices.js";
import { asProblem, type Named, ROLES, type User } from "./shared.js";
import { UserCreator } from "./user-creator.js";
import { UserTable } from "./user-table.js";
export function UsersPage({ locale, session }: StaffPageProps) {
  const t = usersTranslator(locale);
  const roleName = (role: string) => {
    const found = ROLES.find(([code]) => code === role);
    return found ? t(found[1]) : role;
  };
  const [users, setUsers] = useState<User[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listProblem, setListProblem] = useState<Problem | null>(null);
  const [centres, setCentres] = useState<Named[]>([]);
  const [announcement, setAnnouncement] = useState("");

  async function load(cursor: string | null) {
    const query = { limit: 100, includeDisabled: "true" as const, ...(cursor ? { cursor } : {}) };
    try {
      const page = await dataOrThrow(api.GET("/api/users", { params: { query } }));
      setUsers((before) => (cursor ? [...before, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      setListProblem(null);
    } catch (error) {
      setListProblem(asProblem(error));
    }
  }

  useEffect(() => {
    void load(null);
    dataOrThrow(api.GET("/api/centres", { params: { query: { limit: 200 } } }))
      .then((page) => {
        setCentres(page.items);
      })
      .catch(() => undefined);
  }, []);

  const centreName = (id: string | null) =>
    id === null ? t("allCentres") : (centres.find((centre) => centre.id === id)?.name ?? id);

  async function disable(user: User) {
    if (!confirm(t("disableConfirm", { name: user.name }))) return;
    try {
      await dataOrThrow(api.POST("/api/users/{userId}/disable", { params: { path: { userId: user.id } } }));
      setAnnouncement(t("disabledDone", { name: user.name }));
      await load(null);
    } catch (error) {
      setAnnouncement(t("failed", { detail: problemText(asProblem(error)) }));
    }
  }

  async function enable(user: User) {
    try {
      await dataOrThrow(api.POST("/api/users/{userId}/enable", { params: { path: { userId: user.id } } }));
      setAnnouncement(t("enabledDone", { name: user.name }));
      await load(null);
    } catch (error) {
      setAnnouncement(t("failed", { detail: problemText(asProblem(error)) }));
    }
  }

  return (
    <section class="users" aria-labelledby="users-title">
      <h1 id="users-title">{t("title")}</h1>
      {/* Said on the page, not only to screen readers: staff see that the change was made. */}
      <p class={announcement ? "notice" : "visually-hidden"} aria-live="polite" role="status">
        {announcement}
      </p>
      {listProblem && (
        <p class="error" role="alert">
          {t("failed", { detail: problemText(listProblem) })}
        </p>
      )}
      <UserTable
        t={t}
        users={users}
        selfId={session.user.id}
        roleName={roleName}
        centreName={centreName}
        onDisable={(user) => void disable(user)}
        onEnable={(user) => void enable(user)}
      />
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)}>
          {t("more")}
        </button>
      )}

      <UserCreator
        t={t}
        session={session}
        centres={centres}
        onCreated={async (name) => {
          setAnnouncement(t("created", { name }));
          await load(null);
        }}
      />
      <DoorDevices locale={locale} centres={centres} />
    </section>
  );
}
