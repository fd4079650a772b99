// zod compiles fast parsers with `new Function` when it may, and probes for it the first time it parses —
// which @halte/core's modules already do while they load. The site's Content-Security-Policy allows no
// eval: the probe would be refused and reported as a violation. This module is imported first by main.tsx
// so zod is told before anything parses; interpreted parsing is fast enough for the site.
import { config } from "zod";

config({ jitless: true });
