// What the record editors (services, partners) share: the form being edited, its heading focused on open,
// and a submit that saves, reports the API's refusal next to the fields, and is busy meanwhile.
import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, type Problem } from "../api.js";

/**
 * An editor's state and submit: `save` sends the form (create or update) and resolves with the stored record,
 * which goes to `onSaved`; a refusal becomes `problem` (a network failure reads `networkError`), and `busy`
 * is true while it runs. `heading` is focused when the editor opens, so a screen reader starts there.
 */
export function useRecordEditor<F, R>(options: {
  initial: F;
  save: (form: F) => Promise<R>;
  onSaved: (saved: R) => void;
  networkError: string;
}) {
  const [form, setForm] = useState(options.initial);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const set = (patch: Partial<F>) => setForm({ ...form, ...patch });

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      options.onSaved(await options.save(form));
    } catch (error) {
      setProblem(error instanceof ApiError ? error.problem : { title: options.networkError, status: 0 });
    } finally {
      setBusy(false);
    }
  }

  return { form, set, problem, busy, heading, submit };
}
