/** The shortest wait between a revision going live and the cache being written: a burst of changes is one write. */
const SAVE_DELAY_MS = 250;
/** A write waits at least this many times as long as the last one took, so writing stays a small share of the host's time. */
const SAVE_SPACING = 10;
/** How long a failed write waits before it is tried again. */
const RETRY_MS = 5000;

/**
 * Writes the node's cache after revisions go live, coalesced: one write at a time, started a
 * while after the revision that asked for it, taking in every revision since. A million keys
 * take a second or two to write, so key changes every few milliseconds are written every few
 * seconds, not once each.
 */
export class CacheSaver {
  readonly #write: () => Promise<void>;
  readonly #log: (line: string) => void;
  #timer: NodeJS.Timeout | null = null;
  #writing: Promise<void> | null = null;
  #due = false;
  #lastMs = 0;
  #failing = false;

  constructor(write: () => Promise<void>, log: (line: string) => void) {
    this.#write = write;
    this.#log = log;
  }

  /** A revision went live: the cache is written soon. */
  changed(): void {
    this.#due = true;
    if (this.#timer === null && this.#writing === null) this.#schedule();
  }

  /** Writes what is due now and waits for it: on stop, so a restart finds the last revision served. */
  async flush(): Promise<void> {
    await this.#writing;
    // The write that just ended may have set a timer for what came during it: that is written now.
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#due) await this.#run();
  }

  #schedule(): void {
    this.#timer = setTimeout(
      () => {
        this.#timer = null;
        void this.#run();
      },
      Math.max(SAVE_DELAY_MS, SAVE_SPACING * this.#lastMs, this.#failing ? RETRY_MS : 0),
    );
    this.#timer.unref();
  }

  #run(): Promise<void> {
    this.#due = false;
    const started = performance.now();
    this.#writing = this.#write().then(
      () => {
        if (this.#failing) this.#log("config: the cache is written again");
        this.#failing = false;
      },
      (error: Error) => {
        if (!this.#failing)
          this.#log(`config: cannot write the cache (${error.message}); retrying every ${RETRY_MS / 1000} s`);
        this.#failing = true;
        // Tried again until it is written: a restart while the console is away serves what is on disk.
        this.#due = true;
      },
    );
    return this.#writing.then(() => {
      this.#lastMs = performance.now() - started;
      this.#writing = null;
      if (this.#due && this.#timer === null) this.#schedule();
    });
  }
}
