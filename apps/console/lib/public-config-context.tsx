"use client";

import { createContext, type ReactNode, useContext } from "react";

export interface ClientConfig {
  gatewayUrl: string;
}

const ConfigContext = createContext<ClientConfig>({ gatewayUrl: "http://localhost:8080" });

export function ConfigProvider({ value, children }: { value: ClientConfig; children: ReactNode }) {
  return <ConfigContext value={value}>{children}</ConfigContext>;
}

export const useClientConfig = () => useContext(ConfigContext);
