"use client";

import { SelectField } from "../ui/select-field.tsx";
import { useAllUpstreams } from "../upstreams/use-upstreams.ts";

export type PoolMode = "new" | "existing";

interface PoolChoiceProps {
  mode: PoolMode;
  onMode: (mode: PoolMode) => void;
  upstreamId: string;
  onUpstreamId: (id: string) => void;
  error: string | undefined;
  /** What "new" means where the choice is offered. */
  newLabel?: string;
}

/** New pool or an existing one; the existing ones by name, with how many targets each has. */
export function PoolChoice({
  mode,
  onMode,
  upstreamId,
  onUpstreamId,
  error,
  newLabel = "A new pool",
}: PoolChoiceProps) {
  const pools = useAllUpstreams();
  const options = (pools.data?.data ?? []).map((pool) => ({
    value: pool.id,
    label: `${pool.name} (${pool.targets.length} ${pool.targets.length === 1 ? "target" : "targets"})`,
  }));
  return (
    <>
      <fieldset className="fieldset">
        <legend>Upstream pool</legend>
        <div className="checks">
          {(
            [
              ["new", newLabel],
              ["existing", "An existing pool"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="check" htmlFor={`pool-mode-${value}`}>
              <input
                id={`pool-mode-${value}`}
                type="radio"
                name="pool-mode"
                checked={mode === value}
                onChange={() => onMode(value)}
              />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      {mode === "existing" ? (
        <SelectField
          id="api-upstream"
          label="Pool"
          hint={
            pools.isError
              ? `The pools could not be loaded: ${pools.error.message}`
              : options.length === 0 && pools.isSuccess
                ? "There are no pools yet: create one on the Upstreams page, or choose a new pool."
                : "Its targets, balancing and health checks are shared with the APIs already using it."
          }
          value={upstreamId}
          options={[{ value: "", label: pools.isPending ? "Loading pools…" : "Choose a pool" }, ...options]}
          onChange={(e) => onUpstreamId(e.target.value)}
          error={error}
        />
      ) : null}
    </>
  );
}
