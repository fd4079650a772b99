import type { ComponentChildren } from "preact";
import type { Session } from "./api.js";
import { type StaffLocale, type StaffT, saveStaffLocale, staffLocales } from "./i18n/locales.js";
import { followLink } from "./router.js";

const roleLabels = {
  admin: "roleAdmin",
  coordinator: "roleCoordinator",
  reception: "roleReception",
  partner: "rolePartner",
  observer: "roleObserver",
} as const;

export function Shell(props: {
  t: StaffT;
  locale: StaffLocale;
  onLocale: (locale: StaffLocale) => void;
  session?: Session;
  menu?: Array<{ path: string; label: string }>;
  onSignOut?: () => void;
  children: ComponentChildren;
}) {
  const { t, session } = props;
  return (
    <>
      <a class="skip" href="#main">
        {t("skipToContent")}
      </a>
      <header class="bar">
        <strong class="brand">{t("appName")}</strong>
        {props.menu && props.menu.length > 0 && (
          <nav aria-label={t("menu")}>
            <ul class="menu">
              {props.menu.map((entry) => (
                <li key={entry.path}>
                  <a
                    href={entry.path}
                    onClick={followLink}
                    aria-current={location.pathname === entry.path ? "page" : undefined}
                  >
                    {entry.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <label class="locale">
          {t("language")}{" "}
          <select
            value={props.locale}
            onChange={(event) => {
              const chosen = (event.target as HTMLSelectElement).value as StaffLocale;
              saveStaffLocale(chosen);
              props.onLocale(chosen);
            }}
          >
            {staffLocales.map((code) => (
              <option key={code} value={code} lang={code}>
                {code === "fr" ? "Français" : "English"}
              </option>
            ))}
          </select>
        </label>
        {session && (
          <span class="who">
            {t("signedInAs", { name: session.user.name, role: t(roleLabels[session.user.role]) })}{" "}
            <button type="button" class="link" onClick={props.onSignOut}>
              {t("signOut")}
            </button>
          </span>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {props.children}
      </main>
    </>
  );
}
