// Prints the JavaScript the door page loads (entry chunk, the door page's chunk and everything they import
// statically), gzip-compressed as a browser would download it. `--record` also writes the figure to
// bench/results.json. Issue 6 sets the budget: 60 kB gzip.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { recordFigures } from "../../../tooling/bench/results-file.js";

export const DOOR_JS_BUDGET_KB = 60;
const dist = fileURLToPath(new URL("../dist", import.meta.url));

interface ManifestEntry {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

/** The files of the door page's JavaScript and their gzip size in kB (1 kB = 1,000 bytes). */
export function doorScriptSize(): { files: string[]; gzipKb: number } {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8")) as Record<
    string,
    ManifestEntry
  >;
  const seen = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry || seen.has(entry.file)) return;
    seen.add(entry.file);
    for (const imported of entry.imports ?? []) visit(imported);
  };
  visit("index.html");
  visit("src/pages/door.tsx");
  const files = [...seen].filter((file) => file.endsWith(".js")).sort();
  const bytes = files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(join(dist, file)), { level: 9 }).length,
    0,
  );
  return { files, gzipKb: Math.round(bytes / 10) / 100 };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { files, gzipKb } = doorScriptSize();
  console.log(`door page JS: ${gzipKb} kB gzip (budget ${DOOR_JS_BUDGET_KB} kB) in ${files.join(", ")}`);
  if (process.argv.includes("--record")) {
    recordFigures([
      {
        name: "admin.door-js.gzip-kB",
        value: gzipKb,
        target: `<=${DOOR_JS_BUDGET_KB}`,
        reference: "issue 6 budget",
        workload: "vite build of apps/admin: entry + door page chunks and their static imports, gzip -9",
      },
    ]);
  }
  if (gzipKb > DOOR_JS_BUDGET_KB) process.exit(1);
}
