import { createContext, useContext } from "react";
import type { ReactNode } from "react";
import { tauriApi } from "./api";
import type { BedsideApi } from "./api";

const ApiContext = createContext<BedsideApi>(tauriApi);

/** Supplies the backend implementation; defaults to the Tauri one. */
export function ApiProvider({ api, children }: { api: BedsideApi; children: ReactNode }) {
  return <ApiContext.Provider value={api}>{children}</ApiContext.Provider>;
}

export function useApi(): BedsideApi {
  return useContext(ApiContext);
}
