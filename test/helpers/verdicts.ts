/**
 * Verdicts of a decompression: its output (length and sha256), or its error code. CPython's come
 * from one python3 process per batch (`bz2.decompress` on each input, in order); ours from any of
 * the front doors. Python's exceptions map to our codes: OSError `Invalid data stream` is
 * ERR_BZ2_DATA; `Compressed data ended before the end-of-stream marker was reached` (ValueError
 * in CPython up to 3.11, EOFError in BZ2File's wording) is ERR_BZ2_TRUNCATED. Anything else is
 * reported as `PYTHON <class>: <message>`, which no door of ours gives, so a test fails on it.
 */
import { createHash } from 'node:crypto';
import { runPython } from './python';

export type Verdict =
  | { readonly ok: true; readonly length: number; readonly sha256: string }
  | { readonly ok: false; readonly code: string };

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The verdict of an output. */
export function okVerdict(output: Uint8Array): Verdict {
  return { ok: true, length: output.length, sha256: sha256(output) };
}

/** The verdict of a thrown or rejected value: its `code` (or a description when it has none). */
export function errorVerdict(error: unknown): Verdict {
  const code = (error as { code?: unknown } | null)?.code;
  return { ok: false, code: typeof code === 'string' ? code : `no code: ${String(error)}` };
}

/** The output of `run` and its verdict, or the error's verdict and no output. */
export function verdictSync(run: () => Buffer): { verdict: Verdict; output?: Buffer } {
  try {
    const output = run();
    return { verdict: okVerdict(output), output };
  } catch (error) {
    return { verdict: errorVerdict(error) };
  }
}

/** As {@link verdictSync}, for a promise. */
export async function verdictAsync(run: () => Promise<Buffer>): Promise<{
  verdict: Verdict;
  output?: Buffer;
}> {
  try {
    const output = await run();
    return { verdict: okVerdict(output), output };
  } catch (error) {
    return { verdict: errorVerdict(error) };
  }
}

/** A short description of a verdict, for assertion messages. */
export function describeVerdict(verdict: Verdict): string {
  return verdict.ok
    ? `${verdict.length} bytes sha256=${verdict.sha256.slice(0, 16)}…`
    : verdict.code;
}

// Inputs go in on stdin, each as a 4-byte big-endian length and its bytes; one JSON list comes out.
const DECOMPRESS_VERDICTS = `
import bz2, hashlib, json, struct, sys
data = sys.stdin.buffer.read()
out = []
at = 0
while at < len(data):
    (n,) = struct.unpack_from('>I', data, at)
    chunk = data[at + 4 : at + 4 + n]
    at += 4 + n
    try:
        result = bz2.decompress(chunk)
        out.append({'ok': True, 'length': len(result), 'sha256': hashlib.sha256(result).hexdigest()})
    except OSError as e:
        code = 'ERR_BZ2_DATA' if str(e) == 'Invalid data stream' else 'PYTHON OSError: ' + str(e)
        out.append({'ok': False, 'code': code})
    except (ValueError, EOFError) as e:
        wording = 'ended before the end-of-stream marker was reached'
        code = 'ERR_BZ2_TRUNCATED' if wording in str(e) else 'PYTHON %s: %s' % (type(e).__name__, e)
        out.append({'ok': False, 'code': code})
    except Exception as e:
        out.append({'ok': False, 'code': 'PYTHON %s: %s' % (type(e).__name__, e)})
json.dump(out, sys.stdout)
`;

/** CPython's `bz2.decompress` verdict on each input, in order, from one python3 process. */
export async function pythonVerdicts(inputs: readonly Uint8Array[]): Promise<Verdict[]> {
  const parts: Uint8Array[] = [];
  for (const input of inputs) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(input.length);
    parts.push(length, input);
  }
  const verdicts = JSON.parse(
    await runPython(DECOMPRESS_VERDICTS, Buffer.concat(parts)),
  ) as Verdict[];
  if (verdicts.length !== inputs.length)
    throw new Error('python3 gave the wrong number of verdicts');
  return verdicts;
}
