import type { ClockOffset } from "./script.ts";

/** Past this a gateway's windows disagree with Redis's clock for a tenth of every second. */
const WARN_MS = 100;
/** Clocks drift slowly: a look a minute is plenty. */
const EVERY_MS = 60_000;

interface ClockWatchOptions {
  /** Names the policy in log lines: "rate-limit pol_…". */
  label: string;
  /** Redis's clock less this gateway's (`RedisScript.clockOffset`). */
  offset: () => Promise<ClockOffset>;
  log: (line: string) => void;
}

/**
 * Limits shared through Redis hold as documented only while the gateways' clocks agree
 * (rate-limit's README, "Clock skew between gateways"), and a skewed host is otherwise found
 * only in its traffic. Redis's clock is the one every gateway can see: each compares its own
 * with it, at most once a minute and without delaying a request, and logs when they start and
 * stop disagreeing.
 */
export class ClockWatch {
  readonly #options: ClockWatchOptions;
  #next = Number.NEGATIVE_INFINITY;
  #skewed = false;

  constructor(options: ClockWatchOptions) {
    this.#options = options;
  }

  check(now: number): void {
    if (now < this.#next) return;
    this.#next = now + EVERY_MS;
    const { label, offset, log } = this.#options;
    // Redis down or slow: the request's own call reports that.
    offset().then(
      ({ offsetMs, errorMs }) => {
        const skewed = Math.abs(offsetMs) - errorMs > WARN_MS;
        if (skewed && !this.#skewed) {
          const side = offsetMs > 0 ? "behind" : "ahead of";
          log(
            `${label}: this gateway's clock is ${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${side} Redis's; ` +
              "limits shared through Redis hold only while every gateway's clock agrees (run NTP)",
          );
        } else if (!skewed && this.#skewed) {
          log(`${label}: this gateway's clock agrees with Redis's again`);
        }
        this.#skewed = skewed;
      },
      () => {},
    );
  }
}
