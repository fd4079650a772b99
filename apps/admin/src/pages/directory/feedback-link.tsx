import type { PublicLocale } from "../../i18n/locales.js";

// The directory's link to the feedback form, in each language. Kept apart from the form's catalogues so
// the directory's chunk carries these six lines only; the form loads as its own chunk.
const label: Record<PublicLocale, string> = {
  fr: "Donner votre avis ou faire une plainte",
  en: "Give your opinion or make a complaint",
  ar: "أبدِ رأيك أو قدّم شكوى",
  fa: "نظر خود را بدهید یا شکایت کنید",
  ps: "خپل نظر ورکړئ یا شکایت وکړئ",
  ti: "ርእይቶኹም ሃቡ ወይ ጥርዓን ኣቕርቡ",
};

/** A link from a centre's directory to its anonymous feedback form, in the language being read. */
export function FeedbackLink(props: { slug: string; locale: PublicLocale }) {
  const href = `/directory/${encodeURIComponent(props.slug)}/feedback?lang=${props.locale}`;
  return (
    <p class="feedback-link">
      <a href={href}>{label[props.locale]}</a>
    </p>
  );
}
