import { useEffect, useState } from "preact/hooks";
import { ApiError, api, dataOrThrow, fieldError, type Problem, type Schemas } from "../../api.js";
import { CaptionedTable, problemText } from "../../components/report-parts.js";
import { usersTranslator } from "../../i18n/pages/users.js";
import type { StaffPageProps } from "../../staff-page.js";

const ROLES = [
  ["admin", "roleAdmin"],
  ["coordinator", "roleCoordinator"],
  ["reception", "roleReception"],
  ["partner", "rolePartner"],
  ["observer", "roleObserver"],
] as const;
type RoleCode = (typeof ROLES)[number][0];

type User = Schemas["User"];
type Named = Pick<Schemas["Centre"], "id" | "name">;

function asProblem(error: unknown): Problem {
  return error instanceof ApiError ? error.problem : { title: String(error), status: 0 };
}

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
  const [partners, setPartners] = useState<Named[]>([]);
  const [announcement, setAnnouncement] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [role, setRole] = useState<RoleCode>("reception");
  const [centreId, setCentreId] = useState<string>(session.user.centreId ?? "");

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
        setCentreId((before) => before || page.items[0]?.id || "");
      })
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!centreId) return setPartners([]);
    dataOrThrow(api.GET("/api/partners", { params: { query: { centreId, limit: 200 } } }))
      .then((page) => setPartners(page.items))
      .catch(() => setPartners([]));
  }, [centreId]);

  const centreName = (id: string | null) =>
    id === null ? t("allCentres") : (centres.find((centre) => centre.id === id)?.name ?? id);

  async function disable(user: User) {
    try {
      await dataOrThrow(api.POST("/api/users/{userId}/disable", { params: { path: { userId: user.id } } }));
      setAnnouncement(t("disabledDone", { name: user.name }));
      await load(null);
    } catch (error) {
      setAnnouncement(t("failed", { detail: problemText(asProblem(error)) }));
    }
  }

  async function create(event: Event) {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "");
    const body = {
      name: text("name"),
      email: text("email"),
      password: text("password"),
      role,
      centreId: centreId || null,
      partnerId: role === "partner" ? text("partnerId") || null : null,
    };
    setBusy(true);
    setProblem(null);
    try {
      await dataOrThrow(api.POST("/api/users", { body }));
      formElement.reset();
      setAnnouncement(t("created", { name: body.name }));
      await load(null);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  const error = (field: string) => fieldError(problem, field);
  const invalid = (field: string) =>
    error(field) ? { "aria-invalid": true, "aria-describedby": `user-${field}-error` } : {};
  const fieldMessage = (field: string) =>
    error(field) ? (
      <span id={`user-${field}-error`} class="error">
        {error(field)}
      </span>
    ) : null;
  const general = problem && (problem.errors ?? []).length === 0 ? problemText(problem) : null;

  return (
    <section class="users" aria-labelledby="users-title">
      <h1 id="users-title">{t("title")}</h1>
      <p class="visually-hidden" aria-live="polite" role="status">
        {announcement}
      </p>
      {listProblem && (
        <p class="error" role="alert">
          {t("failed", { detail: problemText(listProblem) })}
        </p>
      )}
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
                {user.id === session.user.id && ` (${t("you")})`}
              </th>
              <td>{user.email}</td>
              <td>{roleName(user.role)}</td>
              <td>{centreName(user.centreId)}</td>
              <td>
                {user.disabledAt ? (
                  t("disabled", { at: user.disabledAt.slice(0, 10) })
                ) : user.id === session.user.id ? (
                  t("active")
                ) : (
                  <button
                    type="button"
                    aria-label={t("disableNamed", { name: user.name })}
                    onClick={() => void disable(user)}
                  >
                    {t("disable")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </CaptionedTable>
      {nextCursor && (
        <button type="button" onClick={() => void load(nextCursor)}>
          {t("more")}
        </button>
      )}

      <form class="card user-form" onSubmit={create} noValidate aria-labelledby="create-user-title">
        <h2 id="create-user-title">{t("create")}</h2>
        {general && (
          <p class="error" role="alert">
            {t("failed", { detail: general })}
          </p>
        )}
        {problem && !general && (
          <p class="error" role="alert">
            {t("fixErrors")}
          </p>
        )}
        <label for="user-name">{t("name")}</label>
        <input id="user-name" name="name" required {...invalid("name")} />
        {fieldMessage("name")}
        <label for="user-email">{t("email")}</label>
        <input id="user-email" name="email" type="email" autocomplete="off" required {...invalid("email")} />
        {fieldMessage("email")}
        <label for="user-password">{t("password")}</label>
        <input
          id="user-password"
          name="password"
          type="password"
          autocomplete="new-password"
          required
          {...invalid("password")}
        />
        {fieldMessage("password")}
        <label for="user-role">{t("role")}</label>
        <select
          id="user-role"
          name="role"
          value={role}
          onChange={(event) => setRole((event.target as HTMLSelectElement).value as RoleCode)}
          {...invalid("role")}
        >
          {ROLES.map(([code, key]) => (
            <option key={code} value={code}>
              {t(key)}
            </option>
          ))}
        </select>
        {fieldMessage("role")}
        <label for="user-centre">{t("centre")}</label>
        <select
          id="user-centre"
          name="centreId"
          value={centreId}
          disabled={session.user.centreId !== null}
          onChange={(event) => setCentreId((event.target as HTMLSelectElement).value)}
          {...invalid("centreId")}
        >
          {session.user.centreId === null && <option value="">{t("allCentres")}</option>}
          {centres.map((centre) => (
            <option key={centre.id} value={centre.id}>
              {centre.name}
            </option>
          ))}
        </select>
        {fieldMessage("centreId")}
        {role === "partner" && (
          <>
            <label for="user-partner">{t("partner")}</label>
            <select id="user-partner" name="partnerId" {...invalid("partnerId")}>
              {partners.map((partner) => (
                <option key={partner.id} value={partner.id}>
                  {partner.name}
                </option>
              ))}
            </select>
          </>
        )}
        {fieldMessage("partnerId")}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("saving") : t("submit")}
        </button>
      </form>
    </section>
  );
}
