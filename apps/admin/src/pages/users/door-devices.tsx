import { useEffect, useState } from "preact/hooks";
import { api, dataOrThrow, type Problem, type Schemas } from "../../api.js";
import { CaptionedTable, problemText } from "../../components/report-parts.js";
import type { StaffLocale } from "../../i18n/locales.js";
import { doorDevicesTranslator } from "../../i18n/pages/door-devices.js";
import { asProblem, type Named } from "./shared.js";

/** The door devices set up at the door page, each revocable (effective at its next request). */
export function DoorDevices(props: { locale: StaffLocale; centres: Named[] }) {
  const t = doorDevicesTranslator(props.locale);
  const [devices, setDevices] = useState<Schemas["DoorDevice"][]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [announcement, setAnnouncement] = useState("");

  async function load() {
    try {
      setDevices((await dataOrThrow(api.GET("/api/door-devices", { params: { query: {} } }))).items);
      setProblem(null);
    } catch (error) {
      setProblem(asProblem(error));
    }
  }
  useEffect(() => {
    void load();
  }, []);

  async function revoke(device: Schemas["DoorDevice"]) {
    try {
      await dataOrThrow(
        api.POST("/api/door-devices/{deviceId}/revoke", { params: { path: { deviceId: device.id } } }),
      );
      setAnnouncement(t("revokedDone", { name: device.name }));
      await load();
    } catch (error) {
      setAnnouncement(t("failed", { detail: problemText(asProblem(error)) }));
    }
  }

  const centreName = (id: string) => props.centres.find((centre) => centre.id === id)?.name ?? id;
  return (
    <section class="door-devices" aria-labelledby="door-devices-title">
      <h2 id="door-devices-title">{t("title")}</h2>
      <p class="hint">{t("intro")}</p>
      <p class="visually-hidden" aria-live="polite" role="status">
        {announcement}
      </p>
      {problem && (
        <p class="error" role="alert">
          {t("failed", { detail: problemText(problem) })}
        </p>
      )}
      {devices.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <CaptionedTable
          id="door-devices"
          class="figures"
          caption={t("caption")}
          headers={[t("name"), t("centre"), t("lastUsed"), t("state")]}
        >
          <tbody>
            {devices.map((device) => (
              <tr key={device.id}>
                <th scope="row">{device.name}</th>
                <td>{centreName(device.centreId)}</td>
                <td>{device.lastUsedAt ? device.lastUsedAt.slice(0, 16).replace("T", " ") : t("never")}</td>
                <td>
                  {device.revokedAt ? (
                    t("revoked", { at: device.revokedAt.slice(0, 10) })
                  ) : (
                    <button
                      type="button"
                      aria-label={t("revokeNamed", { name: device.name })}
                      onClick={() => void revoke(device)}
                    >
                      {t("revoke")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </CaptionedTable>
      )}
    </section>
  );
}
