import assert from 'node:assert/strict';

/**
 * Asserts that `fn` throws an instance of `Class` whose `code` is `code`, and whose message
 * equals `message` (a string) or matches it (a RegExp).
 */
export function expectCode(
  fn: () => unknown,
  Class: ErrorConstructor,
  code: string,
  message?: string | RegExp,
): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof Class, `expected ${Class.name}, got ${String(error)}`);
    assert.equal((error as { code?: unknown }).code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else if (message) assert.match(error.message, message);
    return true;
  });
}

/** Asserts that `promise` rejects with an instance of `Class` whose `code` is `code`. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  Class: ErrorConstructor = Error,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof Class, `expected ${Class.name}, got ${String(error)}`);
    assert.equal((error as { code?: unknown }).code, code);
    return true;
  });
}
