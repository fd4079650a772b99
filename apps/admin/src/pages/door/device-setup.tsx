import { roleCan } from "@halte/core";
import { useState } from "preact/hooks";
import { api, dataOrThrow, fieldError, type Problem, type SessionUser } from "../../api.js";
import { rememberDoorDevice, storedDoorDevice } from "../../door-device.js";
import type { doorCardTranslator } from "../../i18n/pages/door.js";

/**
 * Says which door device this browser is or, for a coordinator, makes it one: the door then keeps working
 * here with no staff session — closed tabs, offline starts — until revoked on the users page.
 */
export function DeviceSetup(props: {
  cardT: ReturnType<typeof doorCardTranslator>;
  user: SessionUser;
  centreId: string;
}) {
  const { cardT } = props;
  const [device, setDevice] = useState(storedDoorDevice);
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  if (device && device.centreId === props.centreId) {
    return <p class="hint device-is">{cardT("deviceIs", { name: device.name })}</p>;
  }
  if (!roleCan(props.user.role, "door-devices:manage")) return null;
  const error = fieldError(problem, "name");
  return (
    <form
      class="device-setup"
      aria-labelledby="device-title"
      onSubmit={async (event) => {
        event.preventDefault();
        try {
          const answer = await dataOrThrow(
            api.POST("/api/door-devices", { body: { centreId: props.centreId, name: name.trim() } }),
          );
          const stored = {
            id: answer.device.id,
            name: answer.device.name,
            centreId: answer.device.centreId,
            csrfToken: answer.csrfToken,
          };
          rememberDoorDevice(stored);
          setDevice(stored);
          setProblem(null);
        } catch (caught) {
          setProblem((caught as { problem?: Problem }).problem ?? { title: String(caught), status: 0 });
        }
      }}
    >
      <h2 id="device-title">{cardT("deviceTitle")}</h2>
      <p class="hint" id="device-hint">
        {cardT("deviceHint")}
      </p>
      <label for="device-name">{cardT("deviceName")}</label>
      <input
        id="device-name"
        type="text"
        maxLength={80}
        required
        value={name}
        aria-describedby={error ? "device-hint device-name-error" : "device-hint"}
        aria-invalid={error ? true : undefined}
        onInput={(event) => setName((event.target as HTMLInputElement).value)}
      />
      {error && (
        <p id="device-name-error" class="error">
          {error}
        </p>
      )}
      <button type="submit">{cardT("deviceSetUp")}</button>
      {problem && !error && (
        <p class="error" role="alert">
          {problem.detail ?? problem.title}
        </p>
      )}
    </form>
  );
}
