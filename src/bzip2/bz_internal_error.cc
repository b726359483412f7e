// With BZ_NO_STDIO, libbzip2 reports a failed internal consistency check
// (AssertH) by calling bz_internal_error and expects it not to return. Those
// checks guard invariants of its own block sorter and Huffman coder, not
// properties of user input; continuing would corrupt memory, so we abort with
// the code libbzip2's own handler would print.
#include <cstdio>
#include <cstdlib>

extern "C" void bz_internal_error(int errcode) {
  std::fprintf(stderr,
               "bz2-napi: libbzip2 internal error %d; please report it\n",
               errcode);
  std::abort();
}
