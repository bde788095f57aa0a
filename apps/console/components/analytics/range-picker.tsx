import { ANALYTICS_RANGES, type AnalyticsRange } from "@gatehouse/shared";
import { RANGE_LABELS, type TrafficWindow } from "./traffic-window.ts";

const RANGES = Object.keys(ANALYTICS_RANGES) as AnalyticsRange[];

interface RangePickerProps {
  value: TrafficWindow;
  onChange: (shown: TrafficWindow) => void;
  /** Offer the live view (the last five minutes, second by second). */
  live?: boolean;
}

/** The window a traffic page shows: one of the ranges up to now, or live. */
export function RangePicker({ value, onChange, live }: RangePickerProps) {
  return (
    <div className="row">
      <fieldset className="segmented">
        <legend className="visually-hidden">Time range</legend>
        {RANGES.map((range) => (
          <button
            key={range}
            type="button"
            aria-pressed={!value.live && value.range === range}
            title={`The last ${RANGE_LABELS[range]}`}
            onClick={() => onChange({ range, live: false })}
          >
            {range}
          </button>
        ))}
      </fieldset>
      {live ? (
        <button
          type="button"
          className="button button-small live-toggle"
          aria-pressed={value.live}
          title="The last five minutes, updated every second"
          onClick={() => onChange({ ...value, live: !value.live })}
        >
          <span className={value.live ? "dot dot-live" : "dot"} aria-hidden="true" />
          Live
        </button>
      ) : null}
    </div>
  );
}
