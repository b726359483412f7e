/** Whether the suite runs under a sanitizer build (set by scripts/sanitize.sh and tsan.sh). */

/** Times and memory under a sanitizer say nothing about the code's own. */
export const SANITIZED = process.env['BZ2_NAPI_SANITIZER'] !== undefined;
