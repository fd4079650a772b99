import { doorLanguagesOf } from "@halte/core";
import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, fieldError, type Problem, type Schemas } from "../../api.js";
import { LanguagePicker } from "../../components/language-picker.js";
import type { StaffLocale } from "../../i18n/locales.js";
import type { doorCardTranslator } from "../../i18n/pages/door.js";

/**
 * The centre's door languages (any ISO 639 code, shown in its own script), edited by an admin where the door
 * uses them. Loaded on its own chunk, only for those who may edit the centre: the door page stays small.
 */
export function DoorLanguagesEditor(props: {
  cardT: ReturnType<typeof doorCardTranslator>;
  locale: StaffLocale;
  centreId: string;
  onSaved: () => void;
}) {
  const { cardT } = props;
  const [centre, setCentre] = useState<Schemas["Centre"] | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    dataOrThrow(api.GET("/api/centres/{centreId}", { params: { path: { centreId: props.centreId } } }))
      .then((found) => {
        setCentre(found);
        // An empty list means the built-in six: start from what the door really offers.
        setCodes([...doorLanguagesOf(found)]);
      })
      .catch(() => undefined);
  }, [props.centreId]);
  if (!centre) return null;
  const error = fieldError(problem, "doorLanguages");
  return (
    <form
      class="door-languages"
      aria-labelledby="door-languages-title"
      onSubmit={async (event) => {
        event.preventDefault();
        const { id: _id, createdAt: _c, updatedAt: _u, archivedAt: _a, ...input } = centre;
        try {
          const after = await dataOrThrow(
            api.PUT("/api/centres/{centreId}", {
              params: { path: { centreId: centre.id } },
              body: { ...input, doorLanguages: codes },
            }),
          );
          setCentre(after);
          setProblem(null);
          setSaved(true);
          props.onSaved();
        } catch (caught) {
          setSaved(false);
          setProblem((caught as { problem?: Problem }).problem ?? { title: String(caught), status: 0 });
        }
      }}
    >
      <h2 id="door-languages-title">{cardT("languagesTitle")}</h2>
      <p class="hint" id="door-languages-hint">
        {cardT("languagesHint")}
      </p>
      <LanguagePicker
        id="door-languages"
        locale={props.locale}
        value={codes}
        onChange={(next) => {
          setSaved(false);
          setCodes(next);
        }}
        describedBy="door-languages-hint"
        invalid={error !== undefined}
      />
      {error && <p class="error">{error}</p>}
      <button type="submit">{cardT("languagesSave")}</button>
      {saved && <p role="status">{cardT("languagesSaved")}</p>}
      {problem && !error && (
        <p class="error" role="alert">
          {problem.detail ?? problem.title}
        </p>
      )}
    </form>
  );
}
