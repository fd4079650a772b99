import { useState } from "preact/hooks";
import {
  ApiError,
  api,
  dataOrThrow,
  fieldError,
  type Problem,
  rememberSession,
  type Session,
} from "../../api.js";
import type { StaffT } from "../../i18n/locales.js";

export function SignInPage({ t, onSignedIn }: { t: StaffT; onSignedIn: (session: Session) => void }) {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    setProblem(null);
    try {
      const session = (await dataOrThrow(
        api.POST("/api/auth/login", {
          body: { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") },
        }),
      )) as Session;
      rememberSession(session);
      onSignedIn(session);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: t("networkError"), status: 0 });
    } finally {
      setBusy(false);
    }
  }

  const emailError = fieldError(problem, "email");
  const passwordError = fieldError(problem, "password");
  const general = problem && !emailError && !passwordError ? (problem.detail ?? problem.title) : null;
  return (
    <form class="card sign-in" onSubmit={submit} noValidate>
      <h1>{t("signInTitle")}</h1>
      {general && (
        <p class="error" role="alert">
          {general}
        </p>
      )}
      <label for="email">{t("email")}</label>
      <input
        id="email"
        name="email"
        type="email"
        autocomplete="username"
        required
        aria-invalid={emailError ? true : undefined}
        aria-describedby={emailError ? "email-error" : undefined}
      />
      {emailError && (
        <p id="email-error" class="error">
          {emailError}
        </p>
      )}
      <label for="password">{t("password")}</label>
      <input
        id="password"
        name="password"
        type="password"
        autocomplete="current-password"
        required
        aria-invalid={passwordError ? true : undefined}
        aria-describedby={passwordError ? "password-error" : undefined}
      />
      {passwordError && (
        <p id="password-error" class="error">
          {passwordError}
        </p>
      )}
      <button type="submit" class="primary" disabled={busy}>
        {busy ? t("signingIn") : t("signIn")}
      </button>
    </form>
  );
}
