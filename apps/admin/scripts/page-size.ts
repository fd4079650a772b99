// Prints the JavaScript two pages load — the door (reception's tablet) and the public directory (a person's
// phone, often on a slow connection) — each as its entry chunk, the page's chunk and everything they import
// statically, gzip-compressed as a browser would download it. `--record` also writes the figures to
// bench/results.json. Issue 6 sets the door's budget (60 kB gzip); the directory gets the same one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { recordFigures } from "../../../tooling/bench/results-file.js";

/** The pages whose JavaScript has a budget, by the module of their chunk, and the budget in kB gzip. */
export const PAGE_JS_BUDGETS_KB = {
  door: { module: "src/pages/door/index.tsx", budgetKb: 60 },
  directory: { module: "src/pages/directory/index.tsx", budgetKb: 60 },
} as const;

export type BudgetedPage = keyof typeof PAGE_JS_BUDGETS_KB;

const dist = fileURLToPath(new URL("../dist", import.meta.url));

interface ManifestEntry {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The files of a page's JavaScript and their gzip size in kB (1 kB = 1,000 bytes). */
export function pageScriptSize(page: BudgetedPage): { files: string[]; gzipKb: number } {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8")) as Record<
    string,
    ManifestEntry
  >;
  if (!manifest[PAGE_JS_BUDGETS_KB[page].module]) {
    throw new Error(`${PAGE_JS_BUDGETS_KB[page].module} is not a chunk of the build`);
  }
  const seen = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry || seen.has(entry.file)) return;
    seen.add(entry.file);
    for (const imported of entry.imports ?? []) visit(imported);
  };
  visit("index.html");
  visit(PAGE_JS_BUDGETS_KB[page].module);
  const files = [...seen].filter((file) => file.endsWith(".js")).sort();
  const bytes = files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
    0,
  );
  return { files, gzipKb: Math.round(bytes / 10) / 100 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let over = false;
  for (const [page, { budgetKb }] of Object.entries(PAGE_JS_BUDGETS_KB) as [
    BudgetedPage,
    { budgetKb: number },
  ][]) {
    const { files, gzipKb } = pageScriptSize(page);
    console.log(`${page} page JS: ${gzipKb} kB gzip (budget ${budgetKb} kB) in ${files.join(", ")}`);
    if (process.argv.includes("--record")) {
      recordFigures([
        {
          name: `admin.${page}-js.gzip-kB`,
          value: gzipKb,
          target: `<=${budgetKb}`,
          reference:
            page === "door" ? "issue 6 budget" : "the door's budget, for a phone on a slow connection",
          workload: `vite build of apps/admin: entry + ${page} page chunks and their static imports, gzip -9`,
        },
      ]);
    }
    if (gzipKb > budgetKb) over = true;
  }
  if (over) process.exit(1);
}
