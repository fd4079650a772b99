// Must stay the first import: see no-eval.ts.
import "./no-eval.js";
import "./styles/base.css";
import "./styles/reports.css";
import "./styles/records.css";
import { type Permission, roleCan } from "@halte/core";
import type { ComponentType } from "preact";
import { render } from "preact";
import { useEffect, useLayoutEffect, useState } from "preact/hooks";
import { api, currentSession, dataOrThrow, rememberSession, type Session, setProblemLocale } from "./api.js";
import { initialStaffLocale, type StaffLocale, type StaffT, staffTranslator } from "./i18n/locales.js";
import { SignInPage } from "./pages/sign-in/index.js";
import { navigate, useLocation } from "./router.js";
import { Shell } from "./shell.js";
import type { StaffPageProps } from "./staff-page.js";

/**
 * The staff pages built so far, each shown in the menu only to roles holding its permission. A role lands on
 * the first page it may use: the learning pages come last so reception still lands on the door and partners
 * on their referrals.
 */
const staffPages: Array<{
  path: string;
  label: Parameters<StaffT>[0];
  permission: Permission;
  load: () => Promise<ComponentType<StaffPageProps>>;
}> = [
  {
    path: "/door",
    label: "menuDoor",
    permission: "visits:record",
    load: () => import("./pages/door/index.js").then((module) => module.DoorPage),
  },
  {
    path: "/dashboards",
    label: "menuDashboards",
    permission: "reports:read",
    load: () => import("./pages/dashboards/index.js").then((module) => module.DashboardsPage),
  },
  {
    path: "/network",
    label: "menuNetwork",
    permission: "partners:manage",
    load: () => import("./pages/network/index.js").then((module) => module.NetworkPage),
  },
  {
    path: "/audit",
    label: "menuAudit",
    permission: "audit:read",
    load: () => import("./pages/audit/index.js").then((module) => module.AuditPage),
  },
  {
    path: "/users",
    label: "menuUsers",
    permission: "users:manage",
    load: () => import("./pages/users/index.js").then((module) => module.UsersPage),
  },
  {
    path: "/services",
    label: "menuServices",
    permission: "services:manage",
    load: () => import("./pages/services/index.js").then((module) => module.ServicesPage),
  },
  {
    path: "/partners",
    label: "menuPartners",
    permission: "partners:manage",
    load: () => import("./pages/partners/index.js").then((module) => module.PartnersPage),
  },
  {
    path: "/referrals",
    label: "menuReferrals",
    permission: "referrals:read",
    load: () => import("./pages/referrals/index.js").then((module) => module.ReferralsPage),
  },
  {
    path: "/jobs",
    label: "menuJobs",
    permission: "centre:manage",
    load: () => import("./pages/jobs/index.js").then((module) => module.JobsPage),
  },
  {
    path: "/lessons",
    label: "menuLessons",
    permission: "lessons:read",
    load: () => import("./pages/lessons/index.js").then((module) => module.LessonsPage),
  },
  {
    path: "/events",
    label: "menuEvents",
    permission: "events:manage",
    load: () => import("./pages/events/index.js").then((module) => module.EventsPage),
  },
  {
    path: "/feedback",
    label: "menuFeedback",
    permission: "feedback:moderate",
    load: () => import("./pages/feedback/index.js").then((module) => module.FeedbackPage),
  },
];

/** Loads a page's code on first use, so the door page does not carry the directory and vice versa. */
function useLazy<P>(load: (() => Promise<ComponentType<P>>) | undefined): ComponentType<P> | null {
  const [loaded, setLoaded] = useState<{ load: unknown; page: ComponentType<P> } | null>(null);
  useEffect(() => {
    let live = true;
    if (load) void load().then((page) => live && setLoaded({ load, page }));
    return () => {
      live = false;
    };
  }, [load]);
  return loaded && loaded.load === load ? loaded.page : null;
}

const loadDirectory = () => import("./pages/directory/index.js").then((module) => module.PublicPage);
// The feedback form of the people assisted: its own chunk, at /directory/{slug}/feedback.
const loadFeedbackForm = () =>
  import("./pages/directory/feedback-form.js").then((module) => module.FeedbackFormPage);

function App() {
  const url = useLocation();
  const [locale, setLocale] = useState<StaffLocale>(initialStaffLocale);
  const [session, setSession] = useState<Session | null>(currentSession);
  const [checked, setChecked] = useState(session !== null);
  const t = staffTranslator(locale);
  setProblemLocale(locale);
  const directory = url.pathname === "/directory" || url.pathname.startsWith("/directory/");
  const feedbackForm = directory && url.pathname.endsWith("/feedback");
  const Directory = useLazy(directory ? (feedbackForm ? loadFeedbackForm : loadDirectory) : undefined);
  const allowed = session ? staffPages.filter((page) => roleCan(session.user.role, page.permission)) : [];
  const page = allowed.find((candidate) => candidate.path === url.pathname);
  const Page = useLazy(page?.load);

  // A session cookie from another tab: ask the API who we are (this tab has no CSRF token yet). A refusal
  // only means "no session": it is not shown, so it is not put through dataOrThrow, whose first refusal
  // loads the refusal catalogue — the sign-in form would wait for that chunk before it is drawn.
  useEffect(() => {
    if (session || directory) return;
    api
      .GET("/api/auth/session")
      .then(({ data, response }) => {
        if (!response.ok || !data) return;
        const found = data as Session;
        rememberSession(found);
        setSession(found);
      })
      .catch(() => undefined)
      .finally(() => setChecked(true));
  }, [session, directory]);

  // In the same commit as the text it describes (a layout effect, not an effect that waits for a paint):
  // a screen reader never reads French words under `lang="en"`, and a test sees both change together.
  useLayoutEffect(() => {
    if (directory) return;
    document.documentElement.lang = locale;
    document.documentElement.dir = "ltr";
    document.title = t("appName");
  }, [locale, directory]);

  if (directory) {
    const slug = url.pathname.slice(11).replace(/\/feedback$/, "");
    return Directory ? <Directory slug={decodeURIComponent(slug)} /> : null;
  }
  if (!checked) return <p class="loading">{t("loading")}</p>;
  if (!session) {
    return (
      <Shell t={t} locale={locale} onLocale={setLocale}>
        <SignInPage
          t={t}
          onSignedIn={(signedIn) => {
            setSession(signedIn);
            const first = staffPages.find((candidate) => roleCan(signedIn.user.role, candidate.permission));
            navigate(first?.path ?? "/");
          }}
        />
      </Shell>
    );
  }

  const signOut = () => {
    rememberSession(null);
    setSession(null);
    navigate("/sign-in");
  };
  if (!page && allowed[0] && url.pathname !== allowed[0].path) {
    queueMicrotask(() => navigate(allowed[0]?.path ?? "/"));
  }
  return (
    <Shell
      t={t}
      locale={locale}
      onLocale={setLocale}
      session={session}
      menu={allowed.map((entry) => ({ path: entry.path, label: t(entry.label) }))}
      onSignOut={async () => {
        // No body: the API takes an empty POST by its `content-length: 0`.
        await dataOrThrow(api.POST("/api/auth/logout")).catch(() => undefined);
        signOut();
      }}
    >
      {Page ? (
        <Page t={t} locale={locale} session={session} onSignedOut={signOut} />
      ) : allowed.length === 0 ? (
        <p>{t("noPagesForRole")}</p>
      ) : (
        <p class="loading">{t("loading")}</p>
      )}
    </Shell>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);

// The app shell is cached by a service worker so the door page opens again without network (docs/admin.md).
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register("/sw.js").catch(() => undefined);
}
