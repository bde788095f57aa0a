"use client";

import { useEffect, useRef, useState } from "react";
import { usePolicyMutations } from "../policies/use-policies.ts";

/** A release waits this long for the next one, so nudging with the arrow keys saves once. */
const SAVE_DELAY_MS = 400;

type SaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved" } | { kind: "failed"; message: string };

/** The canary's share, saved to the policy when the slider is let go; the outcome is shown beside it. */
export function CanarySlider({ policyId, percent }: { policyId: string; percent: number }) {
  const [value, setValue] = useState(Math.round(percent));
  const [state, setState] = useState<SaveState>({ kind: "idle" });
  const { update } = usePolicyMutations(() => undefined);
  const input = useRef<HTMLInputElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    if (!dragging.current) setValue(Math.round(percent));
  }, [percent]);

  useEffect(() => {
    const element = input.current;
    if (element === null) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // The native change event fires on release (pointer up, each key press), unlike React's onChange.
    const onRelease = () => {
      dragging.current = false;
      clearTimeout(timer);
      const next = Number(element.value);
      timer = setTimeout(() => {
        setState({ kind: "saving" });
        update.mutate(
          { id: policyId, patch: { config: { percent: next } } },
          {
            onSuccess: () => setState({ kind: "saved" }),
            onError: (error) => setState({ kind: "failed", message: error.message }),
          },
        );
      }, SAVE_DELAY_MS);
    };
    element.addEventListener("change", onRelease);
    return () => {
      element.removeEventListener("change", onRelease);
      clearTimeout(timer);
    };
  }, [policyId, update.mutate]);

  return (
    <div className="canary-slider">
      <label htmlFor="canary-percent">Share sent to the canary</label>
      <div className="row">
        <input
          ref={input}
          id="canary-percent"
          type="range"
          min={0}
          max={100}
          step={1}
          value={value}
          onPointerDown={() => {
            dragging.current = true;
          }}
          onChange={(event) => setValue(Number(event.target.value))}
        />
        <output htmlFor="canary-percent" className="canary-percent">
          {value}%
        </output>
        <span role="status" className={state.kind === "failed" ? "field-error" : "muted"}>
          {state.kind === "saving"
            ? "Saving…"
            : state.kind === "saved"
              ? "Saved"
              : state.kind === "failed"
                ? `Not saved: ${state.message}`
                : ""}
        </span>
      </div>
    </div>
  );
}
