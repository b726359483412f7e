/**
 * Runs one object's asynchronous calls one at a time, in call order (API.md section 4), and
 * tells the synchronous methods whether any is pending.
 * @internal
 * @packageDocumentation
 */
export class SerialQueue {
  #pending = 0;
  #tail: Promise<void> = Promise.resolve();

  /** True while any call given to {@link SerialQueue.run} has not settled. */
  get busy(): boolean {
    return this.#pending > 0;
  }

  /**
   * Runs `op` after every earlier call has settled; at once (synchronously) when none is
   * pending, so that the native layer copies its input before this returns.
   */
  run<T>(op: () => Promise<T>): Promise<T> {
    let result: Promise<T>;
    if (this.#pending === 0) {
      try {
        result = op();
      } catch (error) {
        result = Promise.reject(error);
      }
    } else {
      result = this.#tail.then(op);
    }
    this.#pending++;
    // Registered before the caller's own handlers, so `busy` is already false when they run.
    this.#tail = result.then(
      () => {
        this.#pending--;
      },
      () => {
        this.#pending--;
      },
    );
    return result;
  }
}
