import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, fieldError, type Problem, type Session } from "../../api.js";
import { problemText } from "../../components/report-parts.js";
import { asProblem, type Named, ROLES, type RoleCode, type UsersT } from "./shared.js";

/** Creates a staff account: role, centre (fixed for an admin bound to one), and the partner of a partner user. */
export function UserCreator(props: {
  t: UsersT;
  session: Session;
  centres: Named[];
  onCreated: (name: string) => Promise<void>;
}) {
  const { t, session } = props;
  const [partners, setPartners] = useState<Named[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [role, setRole] = useState<RoleCode>("reception");
  const [centreId, setCentreId] = useState<string>(session.user.centreId ?? "");
  const centres = props.centres;

  useEffect(() => {
    setCentreId((before) => before || centres[0]?.id || "");
  }, [centres]);

  useEffect(() => {
    if (!centreId) return setPartners([]);
    dataOrThrow(api.GET("/api/partners", { params: { query: { centreId, limit: 200 } } }))
      .then((page) => setPartners(page.items))
      .catch(() => setPartners([]));
  }, [centreId]);

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
      await props.onCreated(body.name);
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
      <AccountScope
        t={t}
        session={session}
        centres={centres}
        partners={partners}
        role={role}
        setRole={setRole}
        centreId={centreId}
        setCentreId={setCentreId}
        invalid={invalid}
        fieldMessage={fieldMessage}
      />
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t("saving") : t("submit")}
      </button>
    </form>
  );
}

/** Who the account acts for: its role, its centre, and for a partner user its organisation. */
function AccountScope(props: {
  t: UsersT;
  session: Session;
  centres: Named[];
  partners: Named[];
  role: RoleCode;
  setRole: (role: RoleCode) => void;
  centreId: string;
  setCentreId: (id: string) => void;
  invalid: (field: string) => Record<string, unknown>;
  fieldMessage: (field: string) => ComponentChildren;
}) {
  const { t, session, centres, partners, role, setRole, centreId, setCentreId, invalid, fieldMessage } =
    props;
  return (
    <>
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
    </>
  );
}
