import { EventKind } from "@halte/core";
import { useState } from "preact/hooks";
import { api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import { errorAt, Field, generalError } from "../../components/form.js";
import type { EventsT } from "../../i18n/pages/events.js";
import { asProblem } from "../lessons/shared.js";

type Event = Schemas["Event"];

const FIELDS = [
  "kind",
  "title",
  "description",
  "startsOn",
  "endsOn",
  "peopleConcerned",
  "vulnerableConcerned",
];

/** Records a new context event, or edits one (`editing`), with the people it concerned when known. */
export function EventForm(props: {
  t: EventsT;
  centreId: string;
  editing: Event | null;
  onSaved: (title: string) => void;
  onCancel: () => void;
}) {
  const { t, editing } = props;
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const count = (name: string) => (text(name) === "" ? undefined : Number(text(name)));
    const body: Schemas["EventInput"] = {
      centreId: props.centreId,
      kind: text("kind") as Event["kind"],
      title: text("title"),
      startsOn: text("startsOn"),
      ...(text("description") ? { description: text("description") } : {}),
      ...(text("endsOn") ? { endsOn: text("endsOn") } : {}),
      ...(count("peopleConcerned") !== undefined ? { peopleConcerned: count("peopleConcerned") } : {}),
      ...(count("vulnerableConcerned") !== undefined
        ? { vulnerableConcerned: count("vulnerableConcerned") }
        : {}),
    };
    setBusy(true);
    setProblem(null);
    try {
      if (editing) {
        await dataOrThrow(
          api.PUT("/api/events/{eventId}", { params: { path: { eventId: editing.id } }, body }),
        );
      } else {
        await dataOrThrow(api.POST("/api/events", { body }));
        (event.currentTarget as HTMLFormElement | null)?.reset();
      }
      props.onSaved(body.title);
    } catch (caught) {
      setProblem(asProblem(caught));
    } finally {
      setBusy(false);
    }
  }

  const general = generalError(problem, (path) => FIELDS.includes(path));
  return (
    <form class="card" onSubmit={submit} noValidate aria-labelledby="event-form-title">
      <h2 id="event-form-title">{editing ? t("editTitle", { title: editing.title }) : t("add")}</h2>
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
      <Field id="event-kind" label={t("kind")} error={errorAt(problem, "kind")}>
        {(described) => (
          <select name="kind" defaultValue={editing?.kind ?? "camp_evacuation"} {...described}>
            {EventKind.options.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind_${kind}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="event-title" label={t("eventTitle")} error={errorAt(problem, "title")}>
        {(described) => <input name="title" maxLength={200} defaultValue={editing?.title} {...described} />}
      </Field>
      <Field id="event-description" label={t("description")} error={errorAt(problem, "description")}>
        {(described) => (
          <textarea name="description" rows={2} defaultValue={editing?.description ?? ""} {...described} />
        )}
      </Field>
      <Field id="event-starts-on" label={t("startsOn")} error={errorAt(problem, "startsOn")}>
        {(described) => <input name="startsOn" type="date" defaultValue={editing?.startsOn} {...described} />}
      </Field>
      <Field id="event-ends-on" label={t("endsOn")} error={errorAt(problem, "endsOn")}>
        {(described) => (
          <input name="endsOn" type="date" defaultValue={editing?.endsOn ?? ""} {...described} />
        )}
      </Field>
      <PeopleFields t={t} problem={problem} editing={editing} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {t("save")}
        </button>
        {editing && (
          <button type="button" onClick={props.onCancel}>
            {t("cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

/** How many people the event concerned, and of them how many vulnerable: both optional. */
function PeopleFields(props: { t: EventsT; problem: Problem | null; editing: Event | null }) {
  const { t, problem, editing } = props;
  return (
    <>
      <Field id="event-people" label={t("peopleConcerned")} error={errorAt(problem, "peopleConcerned")}>
        {(described) => (
          <input
            name="peopleConcerned"
            type="number"
            min={0}
            inputMode="numeric"
            defaultValue={editing?.peopleConcerned?.toString() ?? ""}
            {...described}
          />
        )}
      </Field>
      <Field
        id="event-vulnerable"
        label={t("vulnerableConcerned")}
        error={errorAt(problem, "vulnerableConcerned")}
      >
        {(described) => (
          <input
            name="vulnerableConcerned"
            type="number"
            min={0}
            inputMode="numeric"
            defaultValue={editing?.vulnerableConcerned?.toString() ?? ""}
            {...described}
          />
        )}
      </Field>
    </>
  );
}
