import { useState } from "preact/hooks";
import { api, dataOrThrow, type Schemas } from "../../api.js";
import { problemMessage, useCentreId, useRecordList } from "../../components/record-list.js";
import { eventsTranslator } from "../../i18n/pages/events.js";
import { lessonVocabulary } from "../../i18n/pages/lessons.js";
import type { StaffPageProps } from "../../staff-page.js";
import { languageName } from "../lessons/figure-picker.js";

type Feedback = Schemas["Feedback"];
type Status = Feedback["status"];

const TABS: Array<[Status, "feedbackPending" | "feedbackApproved" | "feedbackRejected"]> = [
  ["pending", "feedbackPending"],
  ["approved", "feedbackApproved"],
  ["rejected", "feedbackRejected"],
];

/** The moderation queue of the feedback the people assisted leave on the public directory. */
export function FeedbackPage({ locale, session, onSignedOut }: StaffPageProps) {
  const t = eventsTranslator(locale);
  const themes = lessonVocabulary[locale].themes;
  const centreId = useCentreId(session);
  const [status, setStatus] = useState<Status>("pending");
  const [notice, setNotice] = useState("");
  const list = useRecordList<Feedback>(
    centreId ? `${centreId}:${status}` : null,
    () =>
      dataOrThrow(
        api.GET("/api/feedback", { params: { query: { centreId: centreId ?? "", status, limit: 200 } } }),
      ),
    t("failed", { detail: "network" }),
    onSignedOut,
  );

  async function moderate(item: Feedback, decision: "approved" | "rejected") {
    try {
      await dataOrThrow(
        api.POST("/api/feedback/{feedbackId}/moderation", {
          params: { path: { feedbackId: item.id } },
          body: { status: decision },
        }),
      );
      setNotice(decision === "approved" ? t("approvedNotice") : t("rejectedNotice"));
      await list.reload();
    } catch (error) {
      setNotice(t("failed", { detail: problemMessage(error, "network") }));
    }
  }

  if (!centreId) return <p class="loading">…</p>;
  const items = list.items ?? [];
  return (
    <section aria-labelledby="feedback-title">
      <h1 id="feedback-title">{t("feedbackTitle")}</h1>
      <p>{t("feedbackIntro")}</p>
      <fieldset class="actions">
        <legend class="visually-hidden">{t("feedbackTitle")}</legend>
        {TABS.map(([value, key]) => (
          <button
            key={value}
            type="button"
            aria-pressed={status === value}
            class={status === value ? "primary" : undefined}
            onClick={() => setStatus(value)}
          >
            {t(key)}
          </button>
        ))}
      </fieldset>
      <p role="status" aria-live="polite" class="notice">
        {notice}
      </p>
      {list.loadError && (
        <p class="error" role="alert">
          {list.loadError}
        </p>
      )}
      {items.length === 0 ? (
        <p>{t("feedbackNone")}</p>
      ) : (
        <ul class="record-list">
          {items.map((item) => (
            <li key={item.id} class="card feedback-item">
              {item.text === "" ? (
                <p class="lesson-meta">{t("feedbackCleared")}</p>
              ) : (
                <p lang={item.language} dir="auto">
                  {item.text}
                </p>
              )}
              <p class="lesson-meta">
                {t("feedbackMeta", {
                  date: item.createdAt.slice(0, 10),
                  language: languageName(item.language, locale),
                })}
                {item.theme && <> · {t("feedbackTheme", { theme: themes[item.theme] ?? item.theme })}</>}
              </p>
              {item.status === "pending" && (
                <div class="actions">
                  <button type="button" class="primary" onClick={() => void moderate(item, "approved")}>
                    {t("approve")}
                  </button>
                  <button type="button" onClick={() => void moderate(item, "rejected")}>
                    {t("reject")}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
