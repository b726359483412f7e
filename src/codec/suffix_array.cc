#include "codec/suffix_array.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "codec/intrinsics.h"

namespace bz2napi {
namespace codec {

namespace {

// How many entries ahead the induction loops prefetch the text byte an entry
// will read. A block's entries are 3.6 MB, beyond a core's L2: without it most
// of the time goes to waiting for those reads.
constexpr int32_t kAhead = 16;

// The entries of the suffix array during induction. A non-negative value is a
// suffix whose predecessor is still to be induced by the current pass; ~j is
// suffix j with its predecessor of the other type (left for the other pass,
// or, in the first stage's second pass, j is an LMS suffix). 0 doubles as an
// empty slot: suffix 0 has no predecessor, so it never induces anything.
// Types: suffix i is S if it is smaller than suffix i + 1, else L; LMS if S
// with an L predecessor. Suffix n - 1 is L (the virtual sentinel after it is
// the smallest).

template <typename Ch>
inline int32_t At(const Ch* t, int32_t i) {
  return static_cast<int32_t>(t[i]);
}

// The k buckets' starts or ends, from counts kept in `counts` (2 k entries of
// work) or, when work is short, counted again from the text into `b` itself.
template <typename Ch>
class Buckets {
 public:
  // `count`: count into `counts` now; else they hold this text's counts.
  Buckets(const Ch* t,
          int32_t n,
          int32_t k,
          int32_t* counts,
          int32_t* b,
          bool count)
      : t_(t), n_(n), k_(k), counts_(counts), b_(b) {
    if (counts_ != nullptr && count)
      Count(counts_);
  }

  int32_t* Starts() {
    const int32_t* c = Counts();
    int32_t sum = 0;
    for (int32_t i = 0; i < k_; ++i) {
      const int32_t size = c[i];
      b_[i] = sum;
      sum += size;
    }
    return b_;
  }

  int32_t* Ends() {
    const int32_t* c = Counts();
    int32_t sum = 0;
    for (int32_t i = 0; i < k_; ++i) {
      sum += c[i];
      b_[i] = sum;
    }
    return b_;
  }

 private:
  const int32_t* Counts() {
    // Bytes always have their counts kept (on the stack).
    if (sizeof(Ch) == 1 || counts_ != nullptr)
      return counts_;
    Count(b_);
    return b_;
  }

  void Count(int32_t* c) const {
    std::fill(c, c + k_, 0);
    for (int32_t i = 0; i < n_; ++i)
      ++c[At(t_, i)];
  }

  const Ch* t_ = nullptr;
  int32_t n_ = 0;
  int32_t k_ = 0;
  int32_t* counts_ = nullptr;
  int32_t* b_ = nullptr;
};

// Calls visit(p) for each LMS position p, from the right.
template <typename Ch, typename Visit>
inline void ForEachLms(const Ch* t, int32_t n, Visit visit) {
  bool next_s = false;  // suffix n - 1 is L
  int32_t next = At(t, n - 1);
  for (int32_t i = n - 2; i >= 0; --i) {
    const int32_t c = At(t, i);
    const bool s = c < next || (c == next && next_s);
    if (!s && next_s)
      visit(i + 1);
    next_s = s;
    next = c;
  }
}

// The LMS positions as one bit each: one branch-free pass over the text,
// then read three times.
struct LmsBits {
  static size_t Words(int32_t n) { return (static_cast<size_t>(n) + 63) / 64; }

  template <typename Ch>
  static void Build(const Ch* t, int32_t n, uint64_t* bits) {
    std::fill(bits, bits + Words(n), 0);
    uint32_t next_s = 0;
    int32_t next = At(t, n - 1);
    for (int32_t i = n - 2; i >= 0; --i) {
      const int32_t c = At(t, i);
      const uint32_t s = static_cast<uint32_t>(c < next) |
                         (static_cast<uint32_t>(c == next) & next_s);
      const uint64_t lms = ~s & next_s & 1u;
      bits[(i + 1) >> 6] |= lms << ((i + 1) & 63);
      next_s = s;
      next = c;
    }
  }

  // Calls visit(p) for each LMS position p, from the right.
  template <typename Visit>
  static void ForEach(const uint64_t* bits, int32_t n, Visit visit) {
    for (size_t w = Words(n); w-- > 0;) {
      uint64_t word = bits[w];
      while (word != 0) {
        const int top = HighestBit(word);
        visit(static_cast<int32_t>(w * 64 + static_cast<size_t>(top)));
        word &= ~(uint64_t{1} << top);
      }
    }
  }
};

// Both passes are branch-free: the sign of an entry is as good as random, and
// a mispredicted branch per entry cost more than the rest of the step. An
// empty or flagged entry still reads a text byte (at 0) and stores its result
// to a slot of its own instead of the bucket.

// The entry for suffix p, flagged (~p) when its predecessor's type differs:
// for the L pass, when t[p - 1] < t[p]; for the S pass, when t[p - 1] > t[p].
template <typename Ch, bool kL>
inline int32_t Entry(const Ch* t, int32_t p, int32_t c) {
  const int32_t has = p > 0;
  const int32_t before = At(t, p - has);
  const int32_t flag = has & (kL ? before < c : before > c);
  return p ^ -flag;
}

// Prefetches for the entries `far` and `near` ahead of an induction loop:
// the text the far one will read, and where the near one will write (its
// text is in cache by then). For bytes the 256 bucket heads stay in cache,
// so only the text is fetched.
template <typename Ch>
inline void Ahead(const Ch* t,
                  const int32_t* sa,
                  const int32_t* b,
                  int32_t far,
                  int32_t near,
                  int32_t offset) {
  PrefetchRead(t + (far > 0 ? far - 1 : 0));
  if (sizeof(Ch) > 1) {
    const int32_t c = At(t, near > 0 ? near - 1 : 0);
    PrefetchWrite(sa + b[c] + offset);
  }
}

// What one induction step reads: the entry, whether it induces (live), and
// its predecessor and that one's symbol (position 0's when not live, which is
// read and thrown away).
struct Induced {
  int32_t v;
  int32_t live;
  int32_t p;
  int32_t c;
};

template <typename Ch>
inline Induced Read(const Ch* t, const int32_t* sa, int32_t i) {
  Induced r;
  r.v = sa[i];
  r.live = r.v > 0;
  r.p = r.live ? r.v - 1 : 0;
  r.c = At(t, r.p);
  return r;
}

// The two induction passes are kept out of line: inlined into the level's
// larger functions, they ran a tenth slower (register pressure).

// Left to right: each L suffix is placed at the head of its bucket once the
// suffix after it has been passed. kFinal keeps every entry (flagged for the
// S pass); otherwise entries that have done their part are cleared.
template <typename Ch, bool kFinal>
BZ2_NAPI_NOINLINE void InduceL(const Ch* t,
                               int32_t n,
                               int32_t* sa,
                               int32_t* b) {
  {
    const int32_t j = n - 1;
    const int32_t c = At(t, j);
    sa[b[c]++] = Entry<Ch, true>(t, j, c);
  }
  int32_t spare;
  auto step = [&](int32_t i) {
    const auto [v, live, p, c] = Read(t, sa, i);
    int32_t* slot = live ? sa + b[c] : &spare;
    b[c] += live;
    *slot = Entry<Ch, true>(t, p, c);
    // Final: every entry flips (a live one is now done for this pass, a
    // flagged one is the S pass's to induce from). Otherwise only flagged
    // entries stay, unflagged.
    sa[i] = kFinal ? (v != 0 ? ~v : 0) : (v < 0 ? ~v : 0);
  };
  int32_t i = 0;
  for (; i < n - 2 * kAhead; ++i) {
    Ahead(t, sa, b, sa[i + 2 * kAhead], sa[i + kAhead], 0);
    step(i);
  }
  for (; i < n; ++i)
    step(i);
}

// Right to left: each S suffix is placed at the tail of its bucket. Without
// kFinal, an LMS suffix is left as ~p and everything else is cleared, so the
// LMS substrings can be read off in order.
template <typename Ch, bool kFinal>
BZ2_NAPI_NOINLINE void InduceS(const Ch* t,
                               int32_t n,
                               int32_t* sa,
                               int32_t* b) {
  int32_t spare;
  auto step = [&](int32_t i) {
    const auto [v, live, p, c] = Read(t, sa, i);
    b[c] -= live;
    int32_t* slot = live ? sa + b[c] : &spare;
    *slot = Entry<Ch, false>(t, p, c);
    // The slot is left of i, so this cannot undo it.
    sa[i] = kFinal ? (v ^ (v >> 31)) : (v < 0 ? v : 0);
  };
  int32_t i = n - 1;
  for (; i >= 2 * kAhead; --i) {
    Ahead(t, sa, b, sa[i - 2 * kAhead], sa[i - kAhead], -1);
    step(i);
  }
  for (; i >= 0; --i)
    step(i);
}

template <typename Ch>
inline bool SameSubstring(const Ch* t, int32_t p, int32_t q, int32_t length) {
  return std::memcmp(t + p, t + q, static_cast<size_t>(length) * sizeof(Ch)) ==
         0;
}

// One level of the sort: the text (bytes at the top, names of 16 or 32 bits
// below), its length and alphabet, and the work area it may use. Every
// level's suffix array is the start of the same sa.
struct Level {
  const void* text = nullptr;
  int width = 1;  // bytes per symbol
  int32_t n = 0;
  int32_t k = 0;
  int32_t* work = nullptr;
  size_t work_length = 0;
  int32_t m = 0;      // its LMS suffixes, once reduced
  int32_t names = 0;  // distinct LMS substrings among them
};

// A level's buckets and LMS bits: counts on the stack (`byte_counts`, kept
// from reduction to expansion) for bytes, else in the work area, which a
// lower level may have used since, so they are counted again there.
template <typename Ch>
class LevelState {
 public:
  LevelState(const Level& level, int32_t* byte_counts, bool fresh)
      : t_(static_cast<const Ch*>(level.text)),
        n_(level.n),
        layout_(Place(level, byte_counts)),
        buckets_(t_,
                 n_,
                 level.k,
                 layout_.counts,
                 layout_.b,
                 sizeof(Ch) > 1 || fresh) {
    if (layout_.b == nullptr)
      return;
    auto at = reinterpret_cast<uintptr_t>(layout_.after);
    at = (at + 7) & ~uintptr_t{7};
    const auto* end =
        reinterpret_cast<const uint8_t*>(level.work + level.work_length);
    if (reinterpret_cast<const uint8_t*>(at) + LmsBits::Words(n_) * 8 <= end) {
      bits_ = reinterpret_cast<uint64_t*>(at);
      LmsBits::Build(t_, n_, bits_);
    }
  }

  // False when the work area cannot hold the buckets.
  bool ok() const { return layout_.b != nullptr; }
  Buckets<Ch>& buckets() { return buckets_; }

  // Calls visit(p) for each LMS position p, from the right.
  template <typename Visit>
  void ForEachLmsPosition(Visit visit) const {
    if (bits_ != nullptr)
      LmsBits::ForEach(bits_, n_, visit);
    else
      ForEachLms(t_, n_, visit);
  }

 private:
  struct Layout {
    int32_t* counts = nullptr;  // none: counted again each time
    int32_t* b = nullptr;
    int32_t* after = nullptr;  // where the work area is free after them
  };

  static Layout Place(const Level& level, int32_t* byte_counts) {
    const size_t k = static_cast<size_t>(level.k);
    Layout layout;
    if (sizeof(Ch) == 1) {
      layout.counts = byte_counts;
      layout.b = byte_counts + 256;
      layout.after = level.work;
    } else if (level.work_length >= 2 * k) {
      layout.counts = level.work;
      layout.b = level.work + k;
      layout.after = layout.b + k;
    } else if (level.work_length >= k) {
      layout.b = level.work;
      layout.after = layout.b + k;
    }
    return layout;
  }

  const Ch* t_;
  int32_t n_;
  Layout layout_;
  Buckets<Ch> buckets_;
  uint64_t* bits_ = nullptr;
};

// Stage 1 of a level: sorts its LMS substrings by inducing from the LMS
// suffixes in any order, names them, and writes the reduced string (the
// names in text order, from 0) to sa[n - m, n). False if the work area is
// too small for its buckets.
template <typename Ch>
bool Reduce(Level* level, int32_t* sa, int32_t* byte_counts) {
  const auto* t = static_cast<const Ch*>(level->text);
  const int32_t n = level->n;
  LevelState<Ch> state(*level, byte_counts, true);
  if (!state.ok())
    return false;
  Buckets<Ch>& buckets = state.buckets();
  std::fill(sa, sa + n, 0);
  int32_t* ends = buckets.Ends();
  int32_t m = 0;
  state.ForEachLmsPosition([&](int32_t p) {
    sa[--ends[At(t, p)]] = p;
    ++m;
  });
  InduceL<Ch, false>(t, n, sa, buckets.Starts());
  InduceS<Ch, false>(t, n, sa, buckets.Ends());

  // The LMS substrings in order to sa[0, m); their lengths (up to and with
  // the next LMS character) at sa[m + p / 2], distinct slots since LMS
  // positions are at least 2 apart, all within sa as m <= n / 2.
  // (Branch-free: a slot written for an entry that is not one is written
  // again, or cleared after the loop.)
  int32_t found = 0;
  for (int32_t i = 0; i < n; ++i) {
    const int32_t v = sa[i];
    sa[i] = 0;
    sa[found] = ~v;
    found += v < 0;
  }
  if (found < n)
    sa[found] = 0;
  {
    int32_t next = n;
    state.ForEachLmsPosition([&](int32_t p) {
      sa[m + (p >> 1)] = next - p + 1;
      next = p;
    });
  }
  // Names from 1, equal for equal substrings; the last LMS substring runs
  // into the sentinel, so it equals no other.
  int32_t names = 0;
  int32_t prev = -1;
  int32_t prev_length = 0;
  for (int32_t i = 0; i < m; ++i) {
    if (i + kAhead < m) {
      const int32_t ahead = sa[i + kAhead];
      PrefetchWrite(sa + m + (ahead >> 1));
      PrefetchRead(t + ahead);
    }
    const int32_t p = sa[i];
    const int32_t length = sa[m + (p >> 1)];
    const bool same = prev >= 0 && length == prev_length && p + length <= n &&
                      prev + length <= n && SameSubstring(t, p, prev, length);
    if (!same)
      ++names;
    prev = p;
    prev_length = length;
    sa[m + (p >> 1)] = names;
  }
  // The reduced string, names from 0 in text order, to sa[n - m, n).
  // (Branch-free: j >= i throughout, so a slot written for an empty one is
  // either written again or left in the free middle.)
  for (int32_t i = m + ((n - 1) >> 1), j = n - 1; i >= m; --i) {
    const int32_t name = sa[i];
    sa[j] = name - 1;
    j -= name != 0;
  }
  level->m = m;
  level->names = names;
  return true;
}

// Stage 2 of a level, once sa[0, m) holds the order of its reduced string's
// suffixes: the LMS suffixes in that order at their buckets' tails, then the
// final induction.
template <typename Ch>
bool Expand(const Level& level, int32_t* sa, int32_t* byte_counts) {
  const auto* t = static_cast<const Ch*>(level.text);
  const int32_t n = level.n;
  const int32_t m = level.m;
  LevelState<Ch> state(level, byte_counts, false);
  if (!state.ok())
    return false;
  Buckets<Ch>& buckets = state.buckets();
  {
    int32_t j = n;
    state.ForEachLmsPosition([&](int32_t p) { sa[--j] = p; });
  }
  const int32_t* positions = sa + n - m;
  for (int32_t i = 0; i < m; ++i) {
    if (i + kAhead < m)
      PrefetchRead(positions + sa[i + kAhead]);
    sa[i] = positions[sa[i]];
  }
  std::fill(sa + m, sa + n, 0);
  int32_t* ends = buckets.Ends();
  for (int32_t i = m - 1; i >= 0; --i) {
    if (i >= kAhead)
      PrefetchRead(t + sa[i - kAhead]);
    const int32_t p = sa[i];
    sa[i] = 0;
    sa[--ends[At(t, p)]] = p;
  }
  InduceL<Ch, true>(t, n, sa, buckets.Starts());
  InduceS<Ch, true>(t, n, sa, buckets.Ends());
  return true;
}

template <typename Run>
bool ForWidth(int width, Run run) {
  switch (width) {
    case 1:
      return run(static_cast<const uint8_t*>(nullptr));
    case 2:
      return run(static_cast<const uint16_t*>(nullptr));
    default:
      return run(static_cast<const int32_t*>(nullptr));
  }
}

// The level below `level`, whose reduced string lies at sa[n - m, n): 16-bit
// names where they fit (packed in place: half the memory for the random
// reads of it), and the larger of the free middle of sa and the work area.
Level Below(const Level& level, int32_t* sa) {
  Level below;
  int32_t* reduced = sa + level.n - level.m;
  below.n = level.m;
  below.k = level.names;
  below.work = level.work;
  below.work_length = level.work_length;
  const size_t middle = static_cast<size_t>(level.n - 2 * level.m);
  if (middle > below.work_length) {
    below.work = sa + level.m;
    below.work_length = middle;
  }
  if (level.names > 65536) {
    below.text = reduced;
    below.width = 4;
    return below;
  }
  auto* packed = reinterpret_cast<uint8_t*>(reduced);
  for (int32_t i = 0; i < level.m; ++i) {
    const auto name = static_cast<uint16_t>(reduced[i]);
    std::memcpy(packed + 2 * static_cast<size_t>(i), &name, 2);
  }
  below.text = packed;
  below.width = 2;
  return below;
}

}  // namespace

bool SuffixArray(const uint8_t* text,
                 int32_t n,
                 int32_t* sa,
                 int32_t* work,
                 size_t work_length) {
  if (n <= 0)
    return n == 0;
  if (work_length < static_cast<size_t>(n / 2 + 1))
    return false;
  if (n == 1) {
    sa[0] = 0;
    return true;
  }
  // Down, level by level, until every LMS substring of a level is distinct
  // (its names are then its suffixes' ranks); then back up. A loop, not a
  // recursion: each level at most halves the length, so 32 levels are more
  // than 2^31 entries can need.
  Level levels[32];
  int32_t byte_counts[2 * 256];
  levels[0].text = text;
  levels[0].n = n;
  levels[0].k = 256;
  levels[0].work = work;
  levels[0].work_length = work_length;
  int depth = 0;
  for (;;) {
    Level& level = levels[depth];
    const bool reduced = ForWidth(level.width, [&](auto type) {
      using Ch = std::remove_const_t<std::remove_pointer_t<decltype(type)>>;
      return Reduce<Ch>(&level, sa, byte_counts);
    });
    if (!reduced)
      return false;
    if (level.names == level.m) {
      const int32_t* names = sa + level.n - level.m;
      for (int32_t i = 0; i < level.m; ++i)
        sa[names[i]] = i;
      break;
    }
    levels[depth + 1] = Below(level, sa);
    ++depth;
  }
  for (; depth >= 0; --depth) {
    const Level& level = levels[depth];
    const bool expanded = ForWidth(level.width, [&](auto type) {
      using Ch = std::remove_const_t<std::remove_pointer_t<decltype(type)>>;
      return Expand<Ch>(level, sa, byte_counts);
    });
    if (!expanded)
      return false;
  }
  return true;
}

}  // namespace codec
}  // namespace bz2napi
