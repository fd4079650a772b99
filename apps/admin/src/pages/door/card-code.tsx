import { fieldError, type Problem } from "../../api.js";
import type { doorCardTranslator } from "../../i18n/pages/door.js";

/**
 * The visitor card code (typed or scanned; Enter records the arrival). It goes with one tap only and is
 * cleared at once, never listed: the API keeps only a keyed hash.
 */
export function CardCodeField(props: {
  cardT: ReturnType<typeof doorCardTranslator>;
  problem: Problem | null;
  value: string;
  onInput: (value: string) => void;
  onEnter: () => void;
}) {
  const { cardT, problem } = props;
  return (
    <div class="card-code">
      <label for="card-code">{cardT("cardCode")}</label>
      <input
        id="card-code"
        type="text"
        autocomplete="off"
        autocapitalize="characters"
        spellcheck={false}
        maxLength={64}
        value={props.value}
        aria-describedby={
          fieldError(problem, "visitorCode") ? "card-code-hint card-code-error" : "card-code-hint"
        }
        aria-invalid={fieldError(problem, "visitorCode") ? true : undefined}
        onInput={(event) => props.onInput((event.target as HTMLInputElement).value)}
        onKeyDown={(event) => {
          if (event.key !== "Enter") return;
          event.preventDefault();
          props.onEnter();
        }}
      />
      <p id="card-code-hint" class="hint">
        {cardT("cardCodeHint")}
      </p>
      {fieldError(problem, "visitorCode") && (
        <p id="card-code-error" class="error">
          {fieldError(problem, "visitorCode")}
        </p>
      )}
    </div>
  );
}
