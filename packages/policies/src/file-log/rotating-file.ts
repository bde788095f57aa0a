import { type FileHandle, open, rename, stat, unlink } from "node:fs/promises";

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";
// A lock older than this was left by a thread that died while rotating.
const STALE_LOCK_MS = 30_000;

/**
 * A log file every gateway thread appends to on its own. Lines never interleave: the file is
 * opened with O_APPEND and each batch of whole lines is one write(2), which the kernel appends
 * in one piece. A thread that finds the path now names another file (a thread rotated it)
 * reopens it. One thread rotates at a time, holding `<path>.rotating` (created exclusively),
 * and only the file it measured: one that another thread rotated meanwhile is left alone.
 */
export class RotatingFile {
  readonly #path: string;
  readonly #maxBytes: number;
  readonly #maxFiles: number;
  #handle: FileHandle | null = null;
  #ino = -1;

  constructor(path: string, maxBytes: number, maxFiles: number) {
    this.#path = path;
    this.#maxBytes = maxBytes;
    this.#maxFiles = maxFiles;
  }

  async append(data: Buffer): Promise<void> {
    let handle = await this.#current();
    const { size } = await handle.stat();
    if (size > 0 && size + data.length > this.#maxBytes) {
      await this.#rotate();
      handle = await this.#current();
    }
    let written = 0;
    while (written < data.length) written += (await handle.write(data, written)).bytesWritten;
  }

  async close(): Promise<void> {
    await this.#handle?.close();
    this.#handle = null;
  }

  /** The open file, reopened when the path no longer names it. */
  async #current(): Promise<FileHandle> {
    const ino = await stat(this.#path).then(
      (s) => s.ino,
      (error: unknown) => {
        if (isMissing(error)) return -1;
        throw error;
      },
    );
    if (this.#handle !== null && ino === this.#ino) return this.#handle;
    await this.close();
    const handle = await open(this.#path, "a");
    this.#handle = handle;
    this.#ino = (await handle.stat()).ino;
    return handle;
  }

  async #rotate(): Promise<void> {
    const lock = `${this.#path}.rotating`;
    const held = await open(lock, "wx").catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
      return null;
    });
    // Another thread is rotating: this batch goes wherever the path then names.
    if (held === null) return this.#clearStale(lock);
    try {
      const measured = await stat(this.#path).catch(() => null);
      if (measured?.ino !== this.#ino) return;
      for (let i = this.#maxFiles - 1; i >= 0; i--) {
        const from = i === 0 ? this.#path : `${this.#path}.${i}`;
        await rename(from, `${this.#path}.${i + 1}`).catch((error: unknown) => {
          if (!isMissing(error)) throw error;
        });
      }
    } finally {
      await held.close();
      await unlink(lock);
    }
  }

  async #clearStale(lock: string): Promise<void> {
    const since = await stat(lock).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (since > STALE_LOCK_MS) await unlink(lock).catch(() => undefined);
  }
}
