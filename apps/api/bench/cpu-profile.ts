// A V8 CPU profile of a Worker running under `wrangler dev`, taken through its inspector port (the same
// DevTools protocol the browser's profiler uses), and read back per request: where the isolate's thread
// spends its time, by bundled module and by function, inclusive and self. Used by `bench/profile.ts`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
/** A `Profiler.stop` profile (DevTools protocol). */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

// Node 20 has no WebSocket client that sends an `Origin` (wrangler's inspector proxy requires one); `ws` is
// miniflare's own dependency.
const WebSocketClient = createRequire(createRequire(import.meta.url).resolve("miniflare"))("ws") as new (
  url: string,
  options: { origin: string },
) => {
  on(event: "open" | "message" | "error", listener: (data: unknown) => void): void;
  send(data: string): void;
  close(): void;
};

/** Profiles the Worker behind a `wrangler dev` inspector port while `work` runs; returns the profile. */
export async function profileWhile<T>(
  inspectorPort: number,
  work: () => Promise<T>,
  samplingMicros = 200,
): Promise<{ profile: CpuProfile; result: T }> {
  const socket = new WebSocketClient(`ws://127.0.0.1:${inspectorPort}/ws`, { origin: "http://127.0.0.1" });
  const pending = new Map<number, (value: unknown) => void>();
  let nextId = 0;
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: unknown };
    const resolve = message.id === undefined ? undefined : pending.get(message.id);
    if (!resolve) return;
    pending.delete(message.id as number);
    resolve(message.error ? Promise.reject(new Error(JSON.stringify(message.error))) : message.result);
  });
  await new Promise((resolve, reject) => {
    socket.on("open", resolve);
    socket.on("error", reject);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      nextId += 1;
      pending.set(nextId, resolve);
      socket.send(JSON.stringify({ id: nextId, method, params }));
    });
  await send("Profiler.enable");
  await send("Profiler.setSamplingInterval", { interval: samplingMicros });
  await send("Profiler.start");
  const result = await work();
  const { profile } = (await send("Profiler.stop")) as { profile: CpuProfile };
  socket.close();
  return { profile, result };
}

/** The newest bundle wrangler dev wrote under `dir` (`.wrangler/tmp/dev-*\/worker.js`) that contains `marker`. */
export function newestBundle(dir: string, marker: string): string | null {
  const root = join(dir, ".wrangler", "tmp");
  let best: { path: string; at: number } | null = null;
  for (const entry of safeList(root)) {
    const path = join(root, entry, "worker.js");
    try {
      const at = statSync(path).mtimeMs;
      if ((best === null || at > best.at) && readFileSync(path, "utf8").includes(marker)) best = { path, at };
    } catch {
      // not a bundle directory
    }
  }
  return best?.path ?? null;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Line → the module esbuild bundled there (its `// path` comments), shortened. */
function moduleIndex(bundle: string | null): (line: number) => string {
  if (!bundle) return () => "?";
  const starts: Array<{ line: number; name: string }> = [];
  readFileSync(bundle, "utf8")
    .split("\n")
    .forEach((text, line) => {
      const match = /^\/\/ (\S+\.(?:m?js|ts))$/.exec(text);
      if (match?.[1]) starts.push({ line, name: shortModule(match[1]) });
    });
  return (line) => {
    let low = 0;
    let high = starts.length - 1;
    let found = "(bundle prelude)";
    while (low <= high) {
      const mid = (low + high) >> 1;
      const start = starts[mid] as { line: number; name: string };
      if (start.line <= line) {
        found = start.name;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found;
  };
}

function shortModule(path: string): string {
  const pkg = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(path);
  if (pkg) return `${pkg[1]}/${(pkg[2] ?? "").replace(/^dist\//, "")}`;
  return path.replace(/^(\.\.\/)+/, "").replace(/^\/.*?\/(apps|packages)\//, "$1/");
}

/** One line of a profile report: milliseconds per request. */
export interface ProfileLine {
  name: string;
  msPerRequest: number;
}

export interface ProfileSummary {
  /** Wall time profiled, ms. */
  wallMs: number;
  requests: number;
  /** Thread busy (every sample but `(idle)`), ms per request. */
  busyMs: number;
  /** Inclusive time of each named function, ms per request (a frame counted once per sample). */
  functions: ProfileLine[];
  /** Self time by bundled module (V8 builtins and natives as `(native)`), ms per request. */
  modules: ProfileLine[];
  /** Self time by function, ms per request. */
  selfFunctions: ProfileLine[];
}

/**
 * Reads a profile per request: `requests` answered while it ran. `watch` names functions whose inclusive
 * time to report (a frame's function name, or `name@module` to tell apart two of the same name).
 */
export function summarise(
  profile: CpuProfile,
  requests: number,
  bundle: string | null,
  watch: readonly string[],
): ProfileSummary {
  const moduleAt = moduleIndex(bundle);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    const module =
      bundle && url.endsWith("worker.js")
        ? moduleAt(lineNumber)
        : url
          ? shortModule(url.replace(/^file:\/\//, ""))
          : "(native)";
    return { fn: functionName || `(anonymous ${module}:${lineNumber + 1})`, module };
  };
  const inclusive = new Map<string, number>();
  const selfModule = new Map<string, number>();
  const selfFunction = new Map<string, number>();
  let busy = 0;
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms);
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? profile.timeDeltas[index] ?? 0) / 1000;
    const leaf = byId.get(id);
    if (!leaf || leaf.callFrame.functionName === "(idle)") return;
    busy += ms;
    const leafLabel = label(leaf);
    add(selfModule, leafLabel.module, ms);
    add(selfFunction, `${leafLabel.fn} [${leafLabel.module}]`, ms);
    const seen = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      const { fn, module } = label(node);
      for (const key of [fn, `${fn}@${module}`]) {
        if (watch.includes(key) && !seen.has(key)) {
          seen.add(key);
          add(inclusive, key, ms);
        }
      }
    }
  });
  const perRequest = (map: Map<string, number>, limit: number) =>
    [...map]
      .map(([name, ms]) => ({ name, msPerRequest: ms / requests }))
      .sort((a, b) => b.msPerRequest - a.msPerRequest)
      .slice(0, limit);
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    requests,
    busyMs: busy / requests,
    functions: watch.map((name) => ({ name, msPerRequest: (inclusive.get(name) ?? 0) / requests })),
    modules: perRequest(selfModule, 25),
    selfFunctions: perRequest(selfFunction, 40),
  };
}

/** The summary as text, milliseconds per request with three decimals. */
export function formatSummary(title: string, summary: ProfileSummary): string {
  const lines = (rows: ProfileLine[]) =>
    rows.map((row) => `  ${row.msPerRequest.toFixed(3).padStart(7)}  ${row.name}`).join("\n");
  return [
    `${title}: ${summary.requests} requests in ${(summary.wallMs / 1000).toFixed(1)} s, isolate thread busy ${summary.busyMs.toFixed(3)} ms per request`,
    "inclusive, ms per request:",
    lines(summary.functions),
    "self time by module, ms per request:",
    lines(summary.modules),
    "self time by function, ms per request:",
    lines(summary.selfFunctions),
  ].join("\n");
}

/**
 * CPU time (user + system, ms) used so far by a process and everything below it, by command name
 * (`node` for wrangler itself, `workerd` for the runtime): Linux `/proc`, read before and after a load.
 */
export function treeCpuMs(rootPid: number): Map<string, number> {
  const msPerTick = 10; // USER_HZ is 100 on Linux
  const stats = new Map<number, { ppid: number; comm: string; ms: number }>();
  for (const entry of safeList("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = text.lastIndexOf(")");
      const comm = text.slice(text.indexOf("(") + 1, close);
      const fields = text.slice(close + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      stats.set(Number(entry), { ppid: Number(fields[1]), comm, ms: ticks * msPerTick });
    } catch {
      // the process ended
    }
  }
  const byName = new Map<string, number>();
  const inTree = (pid: number): boolean => {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = stats.get(at)?.ppid) {
      if (at === rootPid) return true;
    }
    return false;
  };
  for (const [pid, stat] of stats) {
    if (inTree(pid)) byName.set(stat.comm, (byName.get(stat.comm) ?? 0) + stat.ms);
  }
  return byName;
}

/** What each command of a process tree used between two `treeCpuMs` readings, ms per request. */
export function cpuPerRequest(
  before: Map<string, number>,
  after: Map<string, number>,
  requests: number,
): ProfileLine[] {
  return [...after].map(([name, ms]) => ({ name, msPerRequest: (ms - (before.get(name) ?? 0)) / requests }));
}
