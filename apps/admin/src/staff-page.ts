import type { Session } from "./api.js";
import type { StaffLocale, StaffT } from "./i18n/locales.js";

/**
 * What the shell (main.tsx) gives every staff page: the translator and locale of the header's language
 * choice, the signed-in session, and the way to sign out. Pages import it from here, never from main.
 */
export interface StaffPageProps {
  t: StaffT;
  locale: StaffLocale;
  session: Session;
  onSignedOut: () => void;
}
