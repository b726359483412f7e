/**
 * Block-level differential test of the codec, through the addon's `profileStages` entry point
 * (src/parallel/stage_profile.h; `npm run bench` reads its timings): it cuts the input into
 * bzlib.c's blocks and compresses every block both ways on the very same block, libbzip2's
 * `BZ2_compressBlock` and our rotation sort + block writer, comparing the bits. The structured
 * inputs of test/helpers/codec-inputs.ts and the shared corpus at every level. Unlike the
 * whole-stream tests, a difference here is one block's, whatever the joining around it does.
 * test/fuzz/codec_fuzzer.cc does the same on random and shaped blocks.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { native } from '../lib/native';
import { CODEC_INPUTS } from './helpers/codec-inputs';
import { corpusFiles, skipIfNoCorpus } from './helpers/corpus';

interface Profile {
  readonly blocks: number;
  readonly same: boolean;
}

/** The bench/test-only export, left out of lib/native.ts's types so that lib/ cannot reach it. */
const profileStages = (
  native as unknown as { profileStages(this: void, level: number, data: Uint8Array): Profile }
).profileStages;

function blocksAgree(data: Uint8Array, level: number): void {
  const profile = profileStages(level, data);
  assert.equal(profile.same, true, `a block's bits differ from BZ2_compressBlock's`);
  if (data.length > 0) assert.ok(profile.blocks >= 1);
}

describe('codec: every block equals BZ2_compressBlock, compressed both ways on the same block', () => {
  describe('structured inputs', () => {
    for (const input of CODEC_INPUTS) {
      for (const level of input.levels) {
        it(`${input.name} at level ${level}`, () => {
          blocksAgree(input.data, level);
        });
      }
    }
  });

  describe('the shared corpus', () => {
    if (skipIfNoCorpus()) return;
    for (const file of corpusFiles()) {
      for (const level of [1, 5, 9]) {
        it(`${basename(file)} at level ${level}`, () => {
          blocksAgree(readFileSync(file), level);
        });
      }
    }
  });

  it('refuses a level outside 1..9 and a non-buffer, as the other native entry points do', () => {
    assert.throws(() => profileStages(0, new Uint8Array(1)), { code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => profileStages(9, 'text' as unknown as Uint8Array), {
      code: 'ERR_INVALID_ARG_TYPE',
    });
  });
});
