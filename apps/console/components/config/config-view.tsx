"use client";

import Link from "next/link";
import { endpoints } from "@/lib/endpoints.ts";
import { Section } from "../ui/section.tsx";
import { ImportSection } from "./import-section.tsx";

/** The whole config as one file: saved from here, or previewed and applied from one. */
export function ConfigView() {
  return (
    <>
      <Section
        title="Export"
        description="The whole config as one YAML file, in a stable order so two exports diff cleanly. Keys are listed, never their secrets."
      >
        <div className="row">
          <a className="button" href={endpoints.config.downloadUrl()} download="gatehouse.yaml">
            Download config
          </a>
          <Link href="/history">See the history of changes</Link>
        </div>
      </Section>
      <ImportSection />
    </>
  );
}
