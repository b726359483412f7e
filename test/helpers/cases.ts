/**
 * A named case's input, made once per process: the golden and parallel generators are slow
 * (megabytes each, byte by byte), and many files read the same cases. Callers must not modify
 * the Buffer they get.
 */
import { PARALLEL_CASES } from './boundaries';
import { GOLDEN_CASES, type GoldenCase } from './inputs';

const made = new Map<string, Buffer>();

/** The case called `name` in GOLDEN_CASES, else in PARALLEL_CASES. */
export function caseNamed(name: string): GoldenCase {
  const testCase =
    GOLDEN_CASES.find((c) => c.name === name) ?? PARALLEL_CASES.find((c) => c.name === name);
  if (!testCase) throw new Error(`no case ${name}`);
  return testCase;
}

/** The input bytes of case `name` (shared: never modify them). */
export function caseInput(name: string): Buffer {
  let bytes = made.get(name);
  if (!bytes) {
    bytes = caseNamed(name).make();
    made.set(name, bytes);
  }
  return bytes;
}
