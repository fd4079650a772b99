// Reads a centre's directory and says whether the answer is live or the copy the service worker kept
// (sw.js keeps the last answer of every public read, stamped with the time it was saved).
import { api, dataOrThrow, type Schemas } from "../../api.js";

export type PublicDirectory = Schemas["PublicDirectory"];

export interface LoadedDirectory {
  directory: PublicDirectory;
  /** When this copy came from the server: now for a live answer. */
  updatedAt: string;
  /** True when the network failed and the service worker answered with its saved copy. */
  saved: boolean;
}

/** The header sw.js adds to the copies it keeps (vite.config.ts). */
export const SAVED_AT_HEADER = "x-halte-saved-at";

export async function loadDirectory(slug: string): Promise<LoadedDirectory> {
  const answer = await api.GET("/api/public/centres/{slug}/services", { params: { path: { slug } } });
  const directory = await dataOrThrow(Promise.resolve(answer));
  const savedAt = answer.response.headers.get(SAVED_AT_HEADER);
  return { directory, updatedAt: savedAt ?? new Date().toISOString(), saved: savedAt !== null };
}
