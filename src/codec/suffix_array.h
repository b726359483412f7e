// The suffix array of a byte string by induced sorting (SA-IS: Nong, Zhang
// and Chan, 2009), written for bzip2's blocks: 32-bit indices, no type array
// (each entry's sign says whether its predecessor is still to be induced),
// iterative (a loop down the levels of reduced strings and back up, each at
// most half the one above, with no recursion for an input to deepen), and
// buckets in a work area the caller lends, so that a block needs no memory
// beyond libbzip2's own.
#ifndef BZ2_NAPI_CODEC_SUFFIX_ARRAY_H_
#define BZ2_NAPI_CODEC_SUFFIX_ARRAY_H_

#include <cstddef>
#include <cstdint>

namespace bz2napi {
namespace codec {

// Sorts the suffixes of text[0, n) (a shorter suffix that is a prefix of a
// longer one sorts first) into sa[0, n). `work` is scratch of `work_length`
// entries; at least n / 2 + 1 of them, else false (nothing else can fail).
bool SuffixArray(const uint8_t* text,
                 int32_t n,
                 int32_t* sa,
                 int32_t* work,
                 size_t work_length);

}  // namespace codec
}  // namespace bz2napi

#endif  // BZ2_NAPI_CODEC_SUFFIX_ARRAY_H_
