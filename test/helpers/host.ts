/**
 * How the host the suite runs on distorts time and memory: a sanitizer build (set by
 * scripts/sanitize.sh and tsan.sh) or an emulator (qemu-user, set by
 * scripts/platforms/test-platforms.js for the linux-arm64 suite).
 */

/** Times and memory under a sanitizer say nothing about the code's own. */
export const SANITIZED = process.env['BZ2_NAPI_SANITIZER'] !== undefined;

/**
 * Under qemu-user every instruction is translated: 10-30 times slower than natively, and a
 * process's RSS includes the emulator's translation cache.
 */
export const EMULATED = process.env['BZ2_NAPI_EMULATED'] !== undefined;

/** What a bound on elapsed time is multiplied by here. */
export const SLOWDOWN = EMULATED ? 20 : SANITIZED ? 3 : 1;

/** Whether a process's peak RSS is the code's own. */
export const RSS_IS_OURS = !SANITIZED && !EMULATED;
