import type { Event } from "./event.js";
import { formatLessonStatement, type GuideLanguage, type Lesson } from "./lesson.js";
import {
  commitmentList,
  evidenceDescription,
  evidenceSource,
  type LessonsGuideOptions,
  type LessonsGuideText,
  lessonsGuideOutline,
  lessonsGuideText,
} from "./lessons-guide.js";

/** Options of {@link lessonsGuideHtml}: those of the Markdown guide, plus the page's `lang` attribute. */
export interface LessonsGuideHtmlOptions extends LessonsGuideOptions {
  /**
   * The `lang` attribute of the page, a BCP 47 tag; by default the guide's `language`. Anything malformed
   * falls back to it.
   */
  readonly lang?: string;
}

const LANG_TAG = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

// Print first: A4 pages, each theme on a new page, nothing a printer would waste ink on. No script, no
// external resource: the page is one self-contained file that can be saved, mailed and printed offline.
/** The stylesheet inlined in the guide's `<style>`: a Content-Security-Policy allows it by its SHA-256 hash. */
export const LESSONS_GUIDE_STYLE = `
@page { size: A4; margin: 18mm 16mm; }
html { font-family: Georgia, "Times New Roman", serif; font-size: 11pt; line-height: 1.45; color: #111; }
body { max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin: 0 0 0.5rem; }
h2 { font-size: 1.4rem; border-bottom: 1px solid #999; padding-bottom: 0.2rem; }
h3 { font-size: 1.15rem; margin-top: 1.4rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.3rem; }
article { break-inside: avoid; page-break-inside: avoid; margin-bottom: 1rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.1rem 0.8rem; margin: 0.4rem 0; }
dt { font-weight: bold; }
dd { margin: 0; }
ul { margin: 0; padding-left: 1.2rem; }
section.theme + section.theme { break-before: page; page-break-before: always; }
@media print { body { margin: 0; max-width: none; padding: 0; } }
`
  .trim()
  .replace(/\n/g, " ");

/**
 * Makes text safe as HTML content or a quoted attribute value: `&`, `<`, `>`, `"` and `'` become
 * character references, so a lesson can add neither markup nor script to the page.
 */
function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

function evidenceItem(
  evidence: Lesson["evidence"][number],
  events: ReadonlyMap<string, Event>,
  text: LessonsGuideText,
): string {
  const head = text.evidenceHead(text.evidenceKinds[evidence.kind], evidence.strength);
  const found = evidenceSource(evidence, events, text);
  const source = found === null ? `<code>${escapeHtml(evidence.reference)}</code>` : escapeHtml(found);
  const description = escapeHtml(evidenceDescription(evidence.description));
  return `<li>${escapeHtml(head)}: ${description} (${text.source}: ${source})</li>`;
}

function lessonArticle(
  lesson: Lesson,
  events: ReadonlyMap<string, Event>,
  text: LessonsGuideText,
  language: GuideLanguage,
): string {
  const { labels } = text;
  const contributors = lesson.contributors.map((group) => text.contributors[group]).join(", ");
  const evidence =
    lesson.evidence.length === 0
      ? escapeHtml(labels.noEvidence)
      : `<ul>${lesson.evidence.map((item) => evidenceItem(item, events, text)).join("")}</ul>`;
  return [
    "<article>",
    `<h4>${escapeHtml(lesson.title)}</h4>`,
    `<p>${escapeHtml(formatLessonStatement(lesson.statement, language))}</p>`,
    "<dl>",
    `<dt>${labels.period}</dt><dd>${escapeHtml(text.period(lesson.periodStart, lesson.periodEnd))}</dd>`,
    `<dt>${labels.contributors}</dt><dd>${escapeHtml(contributors)}</dd>`,
    `<dt>${labels.commitments}</dt><dd>${escapeHtml(commitmentList(lesson.chsCommitments, text))}</dd>`,
    `<dt>${labels.evidence}</dt><dd>${evidence}</dd>`,
    "</dl>",
    "</article>",
  ].join("\n");
}

/**
 * Compiles the guide for opening the next centre as one printable, self-contained HTML page: the same
 * lessons in the same order as `lessonsGuideMarkdown` (validated and unarchived, by theme, then type, then
 * period and title), with an inline print style sheet (A4 pages, each theme starting a new page, a lesson
 * never split across pages), the `lang` attribute set, and no script or external resource. All user text
 * is escaped, so a statement holding `<script>` prints as text.
 *
 * @example
 * const page = lessonsGuideHtml(lessons, { centreName: "La Halte de Jour", events, language: "fr" });
 * page.startsWith('<!doctype html>\n<html lang="fr">'); // true — headings, labels and template in French
 */
export function lessonsGuideHtml(lessons: readonly Lesson[], options: LessonsGuideHtmlOptions): string {
  const language = options.language ?? "en";
  const text = lessonsGuideText(language);
  const events = new Map((options.events ?? []).map((event) => [event.id, event]));
  const lang = options.lang !== undefined && LANG_TAG.test(options.lang) ? options.lang : language;
  const title = options.title ?? text.title(options.centreName);
  const outline = lessonsGuideOutline(lessons, language);
  const count = outline.reduce(
    (sum, section) => sum + section.types.reduce((n, group) => n + group.lessons.length, 0),
    0,
  );
  const body: string[] = [`<h1>${escapeHtml(title)}</h1>`];
  if (count === 0) {
    body.push(`<p>${escapeHtml(text.noLessons(options.centreName))}</p>`);
  } else {
    body.push(`<p>${escapeHtml(text.introduction(count, options.centreName))}</p>`);
    for (const section of outline) {
      body.push(`<section class="theme">`, `<h2>${escapeHtml(section.title)}</h2>`);
      for (const group of section.types) {
        body.push(`<h3>${escapeHtml(group.title)}</h3>`);
        for (const lesson of group.lessons) body.push(lessonArticle(lesson, events, text, language));
      }
      body.push("</section>");
    }
  }
  return [
    "<!doctype html>",
    `<html lang="${escapeHtml(lang)}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${LESSONS_GUIDE_STYLE}</style>`,
    "</head>",
    "<body>",
    ...body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
