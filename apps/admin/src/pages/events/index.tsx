import { useState } from "preact/hooks";
import { api, dataOrThrow, type Schemas } from "../../api.js";
import { problemMessage, useCentreId, useRecordList } from "../../components/record-list.js";
import { eventsTranslator } from "../../i18n/pages/events.js";
import type { StaffPageProps } from "../../staff-page.js";
import { EventForm } from "./event-form.js";

type Event = Schemas["Event"];

/** The context events of a centre: recorded, edited and archived by coordinators (`events:manage`). */
export function EventsPage({ locale, session, onSignedOut }: StaffPageProps) {
  const t = eventsTranslator(locale);
  const centreId = useCentreId(session);
  const [editing, setEditing] = useState<Event | null>(null);
  const [notice, setNotice] = useState("");
  const list = useRecordList<Event>(
    centreId,
    () =>
      dataOrThrow(api.GET("/api/events", { params: { query: { centreId: centreId ?? "", limit: 200 } } })),
    t("failed", { detail: "network" }),
    onSignedOut,
  );
  const number = new Intl.NumberFormat(locale === "fr" ? "fr-FR" : "en-GB");

  async function archive(event: Event) {
    if (!confirm(t("archiveConfirm", { title: event.title }))) return;
    try {
      await dataOrThrow(
        api.POST("/api/events/{eventId}/archive", { params: { path: { eventId: event.id } } }),
      );
      setNotice(t("archived", { title: event.title }));
      await list.reload();
    } catch (error) {
      setNotice(t("failed", { detail: problemMessage(error, "network") }));
    }
  }

  if (!centreId) return <p class="loading">…</p>;
  const items = [...(list.items ?? [])].sort((a, b) => (a.startsOn < b.startsOn ? 1 : -1));
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">{t("title")}</h1>
      <p>{t("intro")}</p>
      <p role="status" aria-live="polite" class="notice">
        {notice}
      </p>
      {list.loadError && (
        <p class="error" role="alert">
          {list.loadError}
        </p>
      )}
      {items.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <ul class="record-list">
          {items.map((event) => (
            <li key={event.id} class="card">
              <h2>{event.title}</h2>
              <p>
                {t(`kind_${event.kind}`)} · {event.startsOn}
                {event.endsOn && event.endsOn !== event.startsOn ? ` → ${event.endsOn}` : ""}
              </p>
              {event.peopleConcerned !== null && (
                <p>
                  {event.vulnerableConcerned === null
                    ? t("people", { people: number.format(event.peopleConcerned) })
                    : t("peopleVulnerable", {
                        people: number.format(event.peopleConcerned),
                        vulnerable: number.format(event.vulnerableConcerned),
                      })}
                </p>
              )}
              {event.description && <p>{event.description}</p>}
              <div class="actions">
                <button type="button" onClick={() => setEditing(event)}>
                  {t("edit")} <span class="visually-hidden">{event.title}</span>
                </button>
                <button type="button" onClick={() => void archive(event)}>
                  {t("archive")} <span class="visually-hidden">{event.title}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <EventForm
        key={editing?.id ?? "new"}
        t={t}
        centreId={centreId}
        editing={editing}
        onSaved={(title) => {
          setEditing(null);
          setNotice(t("saved", { title }));
          void list.reload();
        }}
        onCancel={() => setEditing(null)}
      />
    </section>
  );
}
